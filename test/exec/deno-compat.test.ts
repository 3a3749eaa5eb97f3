// The same src/exec sources under Deno 2 (node: compat), with narrowed permissions as DESIGN §8
// recommends: process groups, negative-pid kill, fd stdio, deadlines and spawn errors behave as
// under Node.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alive as running } from "../helpers/processes.ts";
import { groupAlive } from "../../src/exec/kill-group.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DENO = path.join(REPO, "node_modules/.bin/deno");
const SCENARIOS = path.join(REPO, "test/exec/fixtures/attempt-scenarios.ts");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-exec-deno-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

// Runs the scenario script under Deno with read/write limited to the repo and the temp dir.
function runScenarios(extraFlags: string[]) {
  const flags = [`--allow-read=${REPO},${dir}`, `--allow-write=${dir}`, "--allow-run", "--no-prompt", ...extraFlags];
  const run = spawnSync(DENO, ["run", ...flags, SCENARIOS, dir], { encoding: "utf8", timeout: 30_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}


describe.skipIf(!fs.existsSync(DENO))("startAttempt under Deno", () => {
  it("behaves as under Node with --allow-run and --allow-env", () => {
    const out = runScenarios(["--allow-env"]);
    expect(out.ok).toEqual({ ok: true, exitCode: 0 });
    expect(out.okLog).toBe("out\nerr\n\n--- verify: echo v ---\nv\n");
    expect(out.exit).toEqual({ ok: false, reason: "exit", exitCode: 3, signal: null });
    expect(out.timeout).toEqual({ ok: false, reason: "timeout", signal: "SIGKILL" });
    // Nothing of the timed-out group runs. Deno, not allowed to read /proc, cannot tell a zombie
    // from a running process, and this sandbox's init reaps zombies only now and then: its own
    // answer may still be "alive" for a killed member init has not reaped yet. Node reads /proc.
    expect(out.timeoutPgid).toBeGreaterThan(1);
    expect(groupAlive(out.timeoutPgid)).toBe(false);
    expect(running(out.grandchild)).toBe(false);
    expect(out.stopped).toEqual({ ok: false, reason: "stopped", signal: "SIGTERM" });
    expect(out.spawnFailure).toEqual({ ok: false, reason: "spawn", message: "could not start 'mm-no-such-agent': not found" });
    expect(out.env).toEqual({ ok: true, exitCode: 0 });
  });

  it("needs --allow-env even to inherit the environment, and says so instead of throwing", () => {
    const out = runScenarios([]);
    expect(out.ok).toMatchObject({ ok: false, reason: "spawn", message: expect.stringContaining("--allow-env") });
  });
});
