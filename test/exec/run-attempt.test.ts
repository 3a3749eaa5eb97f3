// Real processes in temp dirs: what one attempt does with output, exit codes, verify,
// deadlines, stop(), argv and env, and that no process of its group outlives it; the same for
// both launchers (forking in-process as under Deno, and through the spawner as under Node).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttemptSpec } from "../../src/exec/attempt-types.ts";
import { describeFailure } from "../../src/exec/describe-failure.ts";
import { directLauncher } from "../../src/exec/direct-launcher.ts";
import { groupAlive } from "../../src/exec/kill-group.ts";
import type { Launcher } from "../../src/exec/launcher.ts";
import { startAttempt as startWith } from "../../src/exec/run-attempt.ts";
import { builtSpawner } from "./fixtures/built-spawner.ts";
import { alive as running, readWhenWritten } from "../helpers/processes.ts";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-exec-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function spec(over: Partial<AttemptSpec>): AttemptSpec {
  return {
    command: { kind: "shell", script: "true" },
    verify: null,
    cwd: dir,
    env: {},
    logFile: path.join(dir, "logs", "m1", "t1.1.log"),
    deadline: null,
    ...over,
  };
}

function shell(script: string): AttemptSpec["command"] {
  return { kind: "shell", script };
}



// The pgid of an attempt that must have started.
async function pgidOf(attempt: { started: Promise<{ pgid: number } | null> }): Promise<number> {
  const started = await attempt.started;
  if (started === null) throw new Error("the attempt did not start");
  return started.pgid;
}

const spawner = builtSpawner();
afterAll(() => spawner.close());

describe.each<[string, Launcher]>([
  ["in-process", directLauncher],
  ["spawner", spawner],
])("startAttempt (%s)", (_, launcher) => {
  const startAttempt = (s: AttemptSpec) => startWith(s, launcher);

  it("writes stdout and stderr to the log file, creating its directory", async () => {
    const attempt = startAttempt(spec({ command: shell("echo out; echo err >&2") }));
    const started = await attempt.started;
    expect(started?.pid).toBeGreaterThan(1);
    expect(started?.pgid).toBe(started?.pid);
    expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
    expect(fs.readFileSync(path.join(dir, "logs", "m1", "t1.1.log"), "utf8")).toBe("out\nerr\n");
  });

  it("runs the task in its cwd as the leader of its own process group", async () => {
    const out = path.join(dir, "ids");
    const attempt = startAttempt(spec({ command: shell(`pwd > ${out}; ps -o pgid= -p $$ >> ${out}`) }));
    await attempt.done;
    const [cwd, pgid] = fs.readFileSync(out, "utf8").trim().split("\n").map((s) => s.trim());
    expect(fs.realpathSync(cwd)).toBe(fs.realpathSync(dir));
    expect(Number(pgid)).toBe(await pgidOf(attempt));
  });

  it("reports a non-zero exit code", async () => {
    const result = await startAttempt(spec({ command: shell("exit 3") })).done;
    expect(result).toEqual({ ok: false, reason: "exit", exitCode: 3, signal: null });
    expect(describeFailure(result)).toBe("exited with code 3");
  });

  it("runs verify after success and appends its output under a header", async () => {
    const s = spec({ command: shell("echo built"), verify: "echo checking; exit 1" });
    const result = await startAttempt(s).done;
    expect(result).toEqual({ ok: false, reason: "verify", exitCode: 1 });
    expect(describeFailure(result)).toBe("verify command exited with code 1");
    expect(fs.readFileSync(s.logFile, "utf8")).toBe("built\n\n--- verify: echo checking; exit 1 ---\nchecking\n");
  });

  it("succeeds when verify passes, and skips verify when the task fails", async () => {
    expect(await startAttempt(spec({ verify: "test -d ." })).done).toEqual({ ok: true, exitCode: 0 });
    const marker = path.join(dir, "verified");
    const failed = await startAttempt(spec({ command: shell("exit 1"), verify: `touch ${marker}` })).done;
    expect(failed).toMatchObject({ reason: "exit", exitCode: 1 });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it("at the deadline kills the whole group, including a backgrounded grandchild", async () => {
    const pidFile = path.join(dir, "grandchild.pid");
    const started = Date.now();
    const attempt = startAttempt(
      spec({ command: shell(`sleep 30 & echo $! > ${pidFile}; wait`), deadline: Date.now() + 300 }),
    );
    const grandchild = Number(await readWhenWritten(pidFile));
    expect(running(grandchild)).toBe(true);
    const result = await attempt.done;
    expect(result).toEqual({ ok: false, reason: "timeout", signal: "SIGTERM" });
    expect(describeFailure(result)).toBe("timed out after the deadline and was stopped (SIGTERM)");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(running(grandchild)).toBe(false);
    expect(groupAlive(await pgidOf(attempt))).toBe(false);
  });

  it("kills a grandchild left running after the task exited on its own", async () => {
    const pidFile = path.join(dir, "grandchild.pid");
    const attempt = startAttempt(spec({ command: shell(`sleep 30 >/dev/null 2>&1 & echo $! > ${pidFile}`) }));
    expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
    expect(running(Number(fs.readFileSync(pidFile, "utf8")))).toBe(false);
  });

  it("counts a task that exits 0 on SIGTERM after the deadline as timed out", async () => {
    const ready = path.join(dir, "ready");
    const attempt = startAttempt(
      spec({ command: shell(`trap 'exit 0' TERM; echo up > ${ready}; while :; do sleep 0.05; done`), deadline: Date.now() + 300 }),
    );
    await readWhenWritten(ready);
    expect(await attempt.done).toEqual({ ok: false, reason: "timeout", signal: null });
  });

  it("sends SIGKILL after killGraceMs to a task that ignores SIGTERM", async () => {
    const ready = path.join(dir, "ready");
    const started = Date.now();
    const attempt = startAttempt(
      spec({ command: shell(`trap '' TERM; echo up > ${ready}; sleep 30`), deadline: Date.now() + 200, killGraceMs: 300 }),
    );
    await readWhenWritten(ready);
    expect(await attempt.done).toEqual({ ok: false, reason: "timeout", signal: "SIGKILL" });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(5000);
    expect(groupAlive(await pgidOf(attempt))).toBe(false);
  });

  it("stop() ends a running attempt and its group, and is reported as stopped", async () => {
    const pidFile = path.join(dir, "grandchild.pid");
    const attempt = startAttempt(spec({ command: shell(`sleep 30 & echo $! > ${pidFile}; wait`), verify: "true" }));
    const grandchild = Number(await readWhenWritten(pidFile));
    await attempt.stop(1000);
    expect(groupAlive(await pgidOf(attempt))).toBe(false);
    expect(running(grandchild)).toBe(false);
    const result = await attempt.done;
    expect(result).toEqual({ ok: false, reason: "stopped", signal: "SIGTERM" });
    expect(describeFailure(result)).toBe("was stopped (SIGTERM)");
    await attempt.stop();
  });

  it("stop() escalates to SIGKILL after graceMs", async () => {
    const ready = path.join(dir, "ready");
    const attempt = startAttempt(spec({ command: shell(`trap '' TERM; echo up > ${ready}; sleep 30`) }));
    await readWhenWritten(ready);
    await attempt.stop(200);
    expect(await attempt.done).toEqual({ ok: false, reason: "stopped", signal: "SIGKILL" });
  });

  it("passes an agent prompt with spaces and quotes as one argument, without a shell", async () => {
    const out = path.join(dir, "arg");
    const prompt = `Implement "login" and don't break $HOME; use \`x\` * ?`;
    const script = path.join(dir, "agent.sh");
    fs.writeFileSync(script, `#!/bin/sh\nprintf '%s|%s' "$#" "$2" > '${out}'\n`, { mode: 0o755 });
    const result = await startAttempt(spec({ command: { kind: "agent", argv: [script, "-p", prompt] } })).done;
    expect(result).toEqual({ ok: true, exitCode: 0 });
    expect(fs.readFileSync(out, "utf8")).toBe(`2|${prompt}`);
  });

  it("makes env overrides visible to the task and its verify command, over the inherited env", async () => {
    const s = spec({
      command: shell(`echo "$MM_TEST_VALUE $PATH" > out`),
      verify: `test "$MM_TEST_VALUE" = "a b"`,
      env: { MM_TEST_VALUE: "a b" },
    });
    expect(await startAttempt(s).done).toEqual({ ok: true, exitCode: 0 });
    expect(fs.readFileSync(path.join(dir, "out"), "utf8")).toBe(`a b ${process.env.PATH}\n`);
  });

  it("reports an agent program that does not exist as a spawn failure", async () => {
    const attempt = startAttempt(spec({ command: { kind: "agent", argv: ["mm-no-such-agent", "-p", "hi"] } }));
    const result = await attempt.done;
    expect(await attempt.started).toBeNull();
    expect(result).toEqual({ ok: false, reason: "spawn", message: "could not start 'mm-no-such-agent': not found" });
    expect(describeFailure(result)).toBe("could not start 'mm-no-such-agent': not found");
    await attempt.stop();
  });

  it("names a missing working directory instead of blaming the program", async () => {
    const result = await startAttempt(spec({ cwd: path.join(dir, "gone") })).done;
    expect(result).toMatchObject({ reason: "spawn", message: expect.stringContaining("working directory") });
  });

  it("reports an empty agent command as a spawn failure, not an exception", async () => {
    const attempt = startAttempt(spec({ command: { kind: "agent", argv: [] } }));
    expect(await attempt.started).toBeNull();
    expect(await attempt.done).toMatchObject({ ok: false, reason: "spawn" });
  });

  it("times out at once when the deadline has already passed", async () => {
    const attempt = startAttempt(spec({ command: shell("sleep 30"), deadline: Date.now() - 1000 }));
    expect(await attempt.done).toMatchObject({ ok: false, reason: "timeout" });
  });

  it("stop() before the pid is known still kills the group, and nothing of it runs after", async () => {
    const pidFile = path.join(dir, "leader.pid");
    const attempt = startAttempt(spec({ command: shell(`echo $$ > ${pidFile}; sleep 30`) }));
    const stopping = attempt.stop(200);
    const pgid = await pgidOf(attempt);
    await stopping;
    expect(await attempt.done).toMatchObject({ ok: false, reason: "stopped" });
    expect(groupAlive(pgid)).toBe(false);
  });

  it("reports a log file that cannot be opened as a spawn failure", async () => {
    fs.writeFileSync(path.join(dir, "logs"), "a file where the log directory should be");
    const attempt = startAttempt(spec({}));
    expect(await attempt.started).toBeNull();
    expect(await attempt.done).toMatchObject({ ok: false, reason: "spawn", message: expect.stringMatching(/^could not start 'sh': ENOTDIR/) });
  });
});
