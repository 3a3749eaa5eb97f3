// The `runAttempt` actor the task chart invokes: one attempt of one task as a process group.
// It reports attempt.started once the process exists and attempt.succeeded/failed when it
// ends; stopping the actor (pause, second Ctrl-C) stops the process group.
import path from "node:path";
import { fromCallback } from "xstate";
import type { AttemptEvent } from "../../machines/task.ts";
import { startAttempt, describeFailure, type AttemptHandle, type AttemptResult } from "../exec/index.ts";
import { markerEnv } from "../exec/task-markers.ts";
import type { PlanTask } from "../milestone/plan-types.ts";
import type { Layout } from "../store/layout.ts";
import { crashPoint } from "../persist/crash-point.ts";

export interface AttemptRegistry {
  /** Attempts whose process may still run. */
  running: Set<AttemptHandle>;
  /** Stops under way; the run waits for them before it exits. */
  stopping: Promise<void>[];
}

export interface RunAttemptDeps {
  layout: Layout;
  milestoneId: string;
  sessionId: string;
  tasks: ReadonlyMap<string, PlanTask>;
  killGraceMs: number;
  registry: AttemptRegistry;
  /** Returns true when the result means the whole run must stop (and takes care of that). */
  isFatal(result: AttemptResult): boolean;
}

export function runAttemptActor(deps: RunAttemptDeps) {
  const { layout, registry } = deps;
  return fromCallback<{ type: "stop" }, { taskId: string; attempt: number }>(({ input, sendBack }) => {
    const task = deps.tasks.get(input.taskId)!;
    const logFile = layout.taskLog(deps.milestoneId, task.id, input.attempt);
    const startedAt = Date.now();
    const deadline = task.timeoutMs === null ? null : startedAt + task.timeoutMs;
    const handle = startAttempt({
      command: task.command,
      verify: task.verify,
      cwd: task.cwd,
      env: { ...task.env, ...markerEnv({ milestoneId: deps.milestoneId, taskId: task.id, attempt: input.attempt, sessionId: deps.sessionId }) },
      logFile,
      deadline,
      killGraceMs: deps.killGraceMs,
    });
    crashPoint("after-spawn");
    registry.running.add(handle);
    let stopped = false;
    sendBack({
      type: "attempt.started",
      pid: handle.pid,
      pgid: handle.pgid,
      at: new Date(startedAt).toISOString(),
      deadline: deadline === null ? null : new Date(deadline).toISOString(),
      log: path.relative(layout.project, logFile),
    } satisfies AttemptEvent);
    handle.done.then((result) => {
      registry.running.delete(handle);
      if (stopped || deps.isFatal(result)) return;
      const at = new Date().toISOString();
      if (result.ok) crashPoint("before-task-completed");
      sendBack(
        (result.ok
          ? { type: "attempt.succeeded", at }
          : { type: "attempt.failed", at, reason: result.reason, detail: describeFailure(result) }) satisfies AttemptEvent,
      );
    });
    return () => {
      if (!registry.running.has(handle)) return;
      stopped = true;
      registry.stopping.push(handle.stop(deps.killGraceMs));
    };
  });
}
