// The test-command probe with real `sh -c` commands: how a failure becomes a blocker carrying
// the end of the output, and that a timed-out command leaves nothing of its group running.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { groupAlive } from "../../src/exec/kill-group.ts";
import { probeTestCommand } from "../../src/probes/test-command.ts";
import { alive, readWhenWritten } from "../helpers/processes.ts";

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mm-probe-test-")));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const ownLogs = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("mm-check-log-"));

describe("probeTestCommand", () => {
  it("reports a passing command as ok with no blocker, run in the project directory", async () => {
    const result = await probeTestCommand(dir, "pwd", { timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: true, code: 0, timedOut: false, stopped: false, blockers: [], tail: dir });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("turns a non-zero exit into test_failed with the command, the exit code and the output's tail", async () => {
    const result = await probeTestCommand(dir, "echo boom; exit 3", { timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, code: 3, timedOut: false, tail: "boom" });
    expect(result.blockers).toEqual([
      {
        type: "test_failed",
        detail: "test command 'echo boom; exit 3' exited with code 3:\nboom",
        fix: `make 'echo boom; exit 3' pass in ${dir}, then resume`,
      },
    ]);
  });

  it("keeps stdout and stderr interleaved as written, and only the last 20 lines", async () => {
    const mixed = await probeTestCommand(dir, "echo out; echo err >&2; echo out2; exit 1", { timeoutMs: 10_000 });
    expect(mixed.tail).toBe("out\nerr\nout2");
    const long = await probeTestCommand(dir, "seq 1 100; exit 1", { timeoutMs: 10_000 });
    expect(long.tail.split("\n")).toEqual(Array.from({ length: 20 }, (_, i) => String(81 + i)));
  });

  it("keeps the tail within 4 KB and never starts it with a cut line", async () => {
    const result = await probeTestCommand(dir, `for i in 1 2 3 4 5 6 7 8 9; do printf "%0999d\\n" $i; done; exit 1`, { timeoutMs: 10_000 });
    expect(Buffer.byteLength(result.tail)).toBeLessThanOrEqual(4096);
    const lines = result.tail.split("\n");
    expect(lines.length).toBe(4);
    for (const line of lines) expect(line).toHaveLength(999);
  });

  it("stops a command at the timeout and leaves nothing of its process group running", async () => {
    const pids = path.join(dir, "pids");
    const started = Date.now();
    const result = await probeTestCommand(dir, `echo started; sleep 30 & echo "$$ $!" > ${pids}; wait`, { timeoutMs: 300, killGraceMs: 200 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const [leader, child] = (await readWhenWritten(pids)).split(" ").map(Number);
    expect(result).toMatchObject({ ok: false, code: null, timedOut: true, stopped: false, tail: "started" });
    expect(result.blockers).toHaveLength(1);
    expect(result.blockers[0].detail).toMatch(/^test command 'echo started; .*' timed out after the deadline and was stopped \(SIG(TERM|KILL)\) \(limit 0\.3s\):\nstarted$/);
    expect(groupAlive(leader)).toBe(false);
    expect(alive(leader)).toBe(false);
    expect(alive(child)).toBe(false);
  });

  it("passes env overrides to the command", async () => {
    expect((await probeTestCommand(dir, 'test "$MM_PROBE_VAR" = yes', { timeoutMs: 10_000, env: { MM_PROBE_VAR: "yes" } })).ok).toBe(true);
    expect((await probeTestCommand(dir, 'test "$MM_PROBE_VAR" = yes', { timeoutMs: 10_000 })).ok).toBe(false);
  });

  it("is stopped by its abort signal without reporting a blocker", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const result = await probeTestCommand(dir, "sleep 30", { timeoutMs: 60_000, killGraceMs: 200, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ ok: false, stopped: true, timedOut: false, blockers: [] });
  });

  it("writes the output to the given log file and names it in the fix", async () => {
    const logFile = path.join(dir, "logs", "checks-test.log");
    const result = await probeTestCommand(dir, "echo kept; exit 1", { timeoutMs: 10_000, logFile });
    expect(fs.readFileSync(logFile, "utf8")).toBe("kept\n");
    expect(result.blockers[0].fix).toBe(`make 'echo kept; exit 1' pass in ${dir} (full output: ${logFile}), then resume`);
  });

  it("removes its own temp log afterwards", async () => {
    const before = ownLogs();
    await probeTestCommand(dir, "echo x; exit 1", { timeoutMs: 10_000 });
    expect(ownLogs()).toEqual(before);
  });
});
