// The --inspect bridge must never be why a run does not end: after stop() the process exits by
// itself even with an inspector page still connected.
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { expect, it } from "vitest";
import { REPO } from "../helpers/cli.ts";

const INSPECTOR = path.join(REPO, "dist/src/inspect/inspector.js");

// Runs in a child process so that its exit (or failure to exit) is observable.
const SCRIPT = `
import { createActor, createMachine } from "xstate";
import { WebSocket } from "ws";
import { startInspector } from ${JSON.stringify(INSPECTOR)};
const inspector = await startInspector({ port: Number(process.env.PORT) });
const page = new WebSocket(inspector.url.replace("http:", "ws:"), { origin: inspector.url.slice(0, -1) });
const received = [];
page.on("message", (m) => received.push(JSON.parse(String(m))));
await new Promise((resolve) => page.once("open", resolve));
const machine = createMachine({ id: "light", initial: "green", states: { green: { on: { NEXT: "red" } }, red: {} } });
createActor(machine, { inspect: inspector.inspect }).start().send({ type: "NEXT" });
await new Promise((resolve) => setTimeout(resolve, 200));
await inspector.stop();
process.stdout.write(JSON.stringify({ url: inspector.url, received }));
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

it("stop() leaves nothing that keeps the process alive, even with a page connected", async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ["--input-type=module", "-e", SCRIPT], { cwd: REPO, env: { ...process.env, PORT: String(port) } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
  clearTimeout(killer);

  expect(signal, "the process had to be killed: something kept it alive after stop()").toBeNull();
  expect(code, stderr).toBe(0);
  const { url, received } = JSON.parse(stdout);
  expect(url).toBe(`http://127.0.0.1:${port}/`);
  const types = received.map((e: { type: string }) => e.type);
  expect(types).toContain("@xstate.actor");
  expect(received.some((e: { type: string; event?: { type: string } }) => e.type === "@xstate.event" && e.event?.type === "NEXT")).toBe(true);
});
