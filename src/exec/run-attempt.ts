// One attempt of a task: the command as its own process group, its output in the log file, the
// deadline with SIGTERM → SIGKILL escalation, then the verify command. Kept lean on purpose: this
// runs once per task attempt, on the executor's hot path.
import fs from "node:fs";
import type { ChildProcess } from "node:child_process";
import {
  DEFAULT_KILL_GRACE_MS,
  type AttemptHandle,
  type AttemptResult,
  type AttemptSpec,
} from "./attempt-types.ts";
import { atDeadline } from "./at-deadline.ts";
import { killGroup } from "./kill-group.ts";
import { killLeftovers } from "./kill-leftovers.ts";
import { openLog, openLogAppend } from "./open-log.ts";
import { commandLine, spawnGroup, waitLeader, type LeaderExit } from "./spawn-group.ts";
import { spawnMessage } from "./spawn-message.ts";

// What a caller of startAttempt needs next to it, importable from the same module.
export type { AttemptHandle, AttemptResult, AttemptSpec } from "./attempt-types.ts";
export { describeFailure } from "./describe-failure.ts";

/**
 * Start one attempt of a task. The process is spawned synchronously, so `pid`/`pgid` can be
 * recorded (`task_started`) before anything else happens; `done` tells how it ended.
 *
 * @example
 * const attempt = startAttempt({ command: { kind: "shell", script: "npm test" }, verify: null,
 *   cwd, env: {}, logFile: layout(cwd).taskLog("m1", "test", 1), deadline: Date.now() + 60_000 });
 * log("task_started", { pgid: attempt.pgid });
 * const result = await attempt.done;
 */
export function startAttempt(spec: AttemptSpec): AttemptHandle {
  const killGraceMs = spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const { file, args } = commandLine(spec.command);
  // Why the attempt is being ended early, if it is; decides the result whatever the exit code.
  let ending: "timeout" | "stopped" | null = null;
  // The group running now: the task's, then its verify command's; 0 between and after them.
  let current = 0;
  let escalation: ReturnType<typeof setTimeout> | undefined;
  let settled = false;

  // SIGTERM the running group now, SIGKILL it after graceMs unless its leader exits first.
  const terminate = (graceMs: number) => {
    const pgid = current;
    if (pgid === 0) return;
    killGroup(pgid, "SIGTERM");
    clearTimeout(escalation);
    escalation = setTimeout(() => killGroup(pgid, "SIGKILL"), graceMs);
  };

  // Wait for a group's leader, then make sure nothing else of its group survives it.
  const finish = async (child: ChildProcess, pgid: number): Promise<LeaderExit> => {
    const exit = await waitLeader(child);
    current = 0;
    clearTimeout(escalation);
    await killLeftovers(pgid);
    return exit;
  };

  // The verify step: same cwd and env, output appended to the task's log under a header.
  const verify = async (command: string): Promise<AttemptResult> => {
    let child: ChildProcess;
    try {
      child = spawnWithLog("sh", ["-c", command], spec, openLogAppend(spec.logFile, `\n--- verify: ${command} ---\n`));
    } catch (error) {
      return { ok: false, reason: "spawn", message: `could not start the verify command: ${(error as Error).message}` };
    }
    current = child.pid ?? 0;
    const exit = await finish(child, current);
    if ("error" in exit) return { ok: false, reason: "spawn", message: spawnMessage("sh", spec.cwd, exit.error) };
    if (ending !== null) return { ok: false, reason: ending, signal: exit.signal };
    if (exit.code !== 0) return { ok: false, reason: "verify", exitCode: exit.code };
    return { ok: true, exitCode: 0 };
  };

  // The whole attempt, from the task's exit to the verdict.
  const run = async (child: ChildProcess, pgid: number): Promise<AttemptResult> => {
    const cancelDeadline =
      spec.deadline === null
        ? undefined
        : atDeadline(spec.deadline, () => {
            if (ending !== null) return;
            ending = "timeout";
            terminate(killGraceMs);
          });
    try {
      const exit = await finish(child, pgid);
      if ("error" in exit) return { ok: false, reason: "spawn", message: spawnMessage(file, spec.cwd, exit.error) };
      if (ending !== null) return { ok: false, reason: ending, signal: exit.signal };
      if (exit.code !== 0) return { ok: false, reason: "exit", exitCode: exit.code, signal: exit.signal };
      if (spec.verify === null) return { ok: true, exitCode: 0 };
      return await verify(spec.verify);
    } finally {
      cancelDeadline?.();
      settled = true;
    }
  };

  let child: ChildProcess;
  try {
    if (!file) throw new Error("the agent command is empty");
    child = spawnWithLog(file, args, spec, openLog(spec.logFile));
  } catch (error) {
    return failedToStart(`could not start '${file ?? ""}': ${(error as Error).message}`);
  }
  const pid = child.pid ?? 0;
  current = pid;
  const done = run(child, pid);
  return {
    pid,
    pgid: pid,
    done,
    stop(graceMs = killGraceMs) {
      if (!settled) {
        ending ??= "stopped";
        terminate(graceMs);
      }
      return done.then(() => undefined);
    },
  };
}

// Spawn with the log fd as stdout and stderr; our copy of the fd is closed once the child has its own.
function spawnWithLog(file: string, args: string[], spec: AttemptSpec, outFd: number): ChildProcess {
  try {
    return spawnGroup(file, args, { cwd: spec.cwd, env: spec.env, outFd });
  } finally {
    fs.closeSync(outFd);
  }
}

// The handle of an attempt that never got a process, e.g. the log file could not be opened.
function failedToStart(message: string): AttemptHandle {
  const done = Promise.resolve<AttemptResult>({ ok: false, reason: "spawn", message });
  return { pid: 0, pgid: 0, done, stop: () => done.then(() => undefined) };
}
