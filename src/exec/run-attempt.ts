// One attempt of a task: the command as its own process group, its output in the log file, the
// deadline with SIGTERM → SIGKILL escalation, then the verify command. Kept lean on purpose: this
// runs once per task attempt, on the executor's hot path.
import {
  DEFAULT_KILL_GRACE_MS,
  type AttemptHandle,
  type AttemptResult,
  type AttemptSpec,
} from "./attempt-types.ts";
import { atDeadline } from "./at-deadline.ts";
import { commandLine } from "./command-line.ts";
import { currentLauncher } from "./current-launcher.ts";
import { killGroup } from "./kill-group.ts";
import { killLeftovers } from "./kill-leftovers.ts";
import type { Launched, Launcher, LeaderExit } from "./launcher.ts";
import { spawnMessage } from "./spawn-message.ts";

// What a caller of startAttempt needs next to it, importable from the same module.
export type { AttemptHandle, AttemptResult, AttemptSpec } from "./attempt-types.ts";
export { describeFailure } from "./describe-failure.ts";

/**
 * Start one attempt of a task. The process starts asynchronously (under Node another process
 * forks it), so `started` gives the pid/pgid to record once it exists; `done` tells how it ended.
 * The deadline is watched from this call on, and stop() works before the pid is known too.
 *
 * @example
 * const attempt = startAttempt({ command: { kind: "shell", script: "npm test" }, verify: null,
 *   cwd, env: {}, logFile: layout(cwd).taskLog("m1", "test", 1), deadline: Date.now() + 60_000 });
 * const started = await attempt.started;
 * if (started) log("task_spawned", { pgid: started.pgid });
 * const result = await attempt.done;
 */
export function startAttempt(spec: AttemptSpec, launcher: Launcher = currentLauncher()): AttemptHandle {
  const killGraceMs = spec.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const { file, args } = commandLine(spec.command);
  if (!file) return failedToStart("could not start '': the agent command is empty");
  // Why the attempt is being ended early, if it is; decides the result whatever the exit code.
  let ending: "timeout" | "stopped" | null = null;
  // The group running now: the task's, then its verify command's; 0 while none is known.
  let current = 0;
  // The grace of a termination asked for while no pid was known, applied as soon as one is.
  let deferredGrace: number | null = null;
  let escalation: ReturnType<typeof setTimeout> | undefined;
  let settled = false;

  // SIGTERM the running group now, SIGKILL it after graceMs unless its leader exits first.
  const terminate = (graceMs: number) => {
    const pgid = current;
    if (pgid === 0) {
      deferredGrace = graceMs;
      return;
    }
    killGroup(pgid, "SIGTERM");
    clearTimeout(escalation);
    escalation = setTimeout(() => killGroup(pgid, "SIGKILL"), graceMs);
  };

  // Follow a launched group to its end, then make sure nothing else of the group survives it.
  const follow = async (launched: Launched): Promise<LeaderExit> => {
    const pid = await launched.pid;
    if (pid !== null) {
      current = pid;
      if (deferredGrace !== null) terminate(deferredGrace);
      deferredGrace = null;
    }
    const exit = await launched.exit;
    current = 0;
    clearTimeout(escalation);
    if (pid !== null) await killLeftovers(pid);
    return exit;
  };

  // The verify step: same cwd and env, output appended to the task's log under a header.
  const verify = async (command: string): Promise<AttemptResult> => {
    const append = `\n--- verify: ${command} ---\n`;
    const exit = await follow(launcher.launch({ file: "sh", args: ["-c", command], cwd: spec.cwd, env: spec.env, logFile: spec.logFile, append }));
    if ("error" in exit) return { ok: false, reason: "spawn", message: spawnMessage("sh", spec.cwd, exit.error, "could not start the verify command") };
    if (ending !== null) return { ok: false, reason: ending, signal: exit.signal };
    if (exit.code !== 0) return { ok: false, reason: "verify", exitCode: exit.code };
    return { ok: true, exitCode: 0 };
  };

  // The whole attempt, from the request to the verdict; the deadline is armed with the request.
  const run = async (launched: Launched): Promise<AttemptResult> => {
    const cancelDeadline =
      spec.deadline === null
        ? undefined
        : atDeadline(spec.deadline, () => {
            if (ending !== null) return;
            ending = "timeout";
            terminate(killGraceMs);
          });
    try {
      const exit = await follow(launched);
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

  const launched = launcher.launch({ file, args, cwd: spec.cwd, env: spec.env, logFile: spec.logFile });
  const done = run(launched);
  return {
    started: launched.pid.then((pid) => (pid === null ? null : { pid, pgid: pid })),
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

// The handle of an attempt that never got a process.
function failedToStart(message: string): AttemptHandle {
  const done = Promise.resolve<AttemptResult>({ ok: false, reason: "spawn", message });
  return { started: Promise.resolve(null), done, stop: () => done.then(() => undefined) };
}
