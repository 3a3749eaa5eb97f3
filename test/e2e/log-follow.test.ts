// `log --follow` from another process: it sees a run, its pause and its resume as one stream.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLI, makeProject, readEvents, runCli } from "../helpers/cli.ts";

// The middle task takes as long as $SLOW says, so the first run can be paused inside it.
const CHAIN = [
  "id: chain",
  "title: A chain with a slow middle",
  "tasks:",
  "  - id: first",
  "    title: First",
  "    run: echo first",
  "  - id: slow",
  "    title: Slow",
  "    run: sleep ${SLOW:-0.2}; echo slow > slow.done",
  "    dependencies: [first]",
  "  - id: last",
  "    title: Last",
  "    run: echo last",
  "    dependencies: [slow]",
  "",
].join("\n");

function startCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", ...env } });
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, exit, output: () => stdout };
}

async function waitFor(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("log --follow", () => {
  it("follows a run across a pause and a resume, in order, and ends with exit 0 on Ctrl-C", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    // Started before the log exists: following waits for it.
    const json = startCli(["log", "chain", "--follow", "--json", "--cwd", project]);
    const human = startCli(["log", "chain", "--follow", "--cwd", project]);

    const first = startCli(["execute", "chain", "--grace", "0", "--cwd", project], { SLOW: "30" });
    await waitFor(() => json.output().includes('"event":"task_spawned","data":{"task_id":"slow"'), "the slow task to run");
    first.child.kill("SIGINT");
    expect(await first.exit).toBe(4);
    expect((await runCli(["resume", "chain", "--cwd", project])).code).toBe(0);
    expect(fs.existsSync(path.join(project, "slow.done"))).toBe(true);

    await waitFor(() => json.output().includes('"event":"milestone_completed"'), "the completion in the followed JSON");
    await waitFor(() => human.output().includes("chain completed"), "the completion in the followed lines");
    json.child.kill("SIGINT");
    human.child.kill("SIGINT");
    expect(await json.exit).toBe(0);
    expect(await human.exit).toBe(0);

    // Exactly the log as written: every event once, in order, the first session then the second.
    const followed = json.output().trim().split("\n").map((line) => JSON.parse(line));
    expect(followed).toEqual(readEvents(project, "chain"));
    expect(followed.map((e) => e.seq)).toEqual(followed.map((_, i) => i + 1));
    const sessions = [...new Set(followed.map((e) => e.session_id))];
    expect(sessions).toHaveLength(2);
    const sessionOf = followed.map((e) => sessions.indexOf(e.session_id));
    expect(sessionOf).toEqual([...sessionOf].sort());
    const events = followed.map((e) => e.event);
    expect(events.indexOf("milestone_paused")).toBeLessThan(events.indexOf("session_resumed"));
    expect(events.at(-1)).toBe("session_saved");
    expect(events.filter((e) => e === "milestone_activated")).toHaveLength(2);

    const lines = human.output();
    const order = ["▶ chain started", "slow started", "⏸ chain paused", "↺ resumed", "slow completed", "✔ chain completed"].map((text) => lines.indexOf(text));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});
