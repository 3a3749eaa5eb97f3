// The `runAttempt` actor the task chart invokes: one attempt of one task as a process group.
// It reports attempt.started once the process exists (its pid arrives asynchronously) and attempt.succeeded/failed when it
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
  /** When each running task's attempt started, for the long-running probe. */
  started: Map<string, { startedAt: string; hasTimeout: boolean }>;
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
    let handle: AttemptHandle | null = null;
    let stopped = false;
    const start = (taskId: string, attempt: number): AttemptHandle => {
      const task = deps.tasks.get(taskId)!;
      const logFile = layout.taskLog(deps.milestoneId, task.id, attempt);
      const startedAt = Date.now();
      const deadline = task.timeoutMs === null ? null : startedAt + task.timeoutMs;
      const attemptHandle = startAttempt({
        command: task.command,
        verify: task.verify,
        cwd: task.cwd,
        env: { ...task.env, ...markerEnv({ project: layout.project, milestoneId: deps.milestoneId, taskId: task.id, attempt, sessionId: deps.sessionId }) },
        logFile,
        deadline,
        killGraceMs: deps.killGraceMs,
      });
      registry.running.add(attemptHandle);
      registry.started.set(taskId, { startedAt: new Date(startedAt).toISOString(), hasTimeout: deadline !== null });
      attemptHandle.started
        .then((started) => {
          // No process, no task_spawned: `done` reports the spawn failure.
          if (started === null) return attemptHandle.done;
          crashPoint("after-spawn");
          // Stopped while the spawn was under way: the stop kills the group, and the task has
          // moved on, so there is nobody to tell.
          if (!stopped) {
            sendBack({
              type: "attempt.started",
              pid: started.pid,
              pgid: started.pgid,
              at: new Date(startedAt).toISOString(),
              deadline: deadline === null ? null : new Date(deadline).toISOString(),
              log: path.relative(layout.project, logFile),
            } satisfies AttemptEvent);
          }
          return attemptHandle.done;
        })
        .then((result) => {
          registry.running.delete(attemptHandle);
          registry.started.delete(taskId);
          if (stopped || deps.isFatal(result)) return;
          const at = new Date().toISOString();
          if (result.ok) crashPoint("before-task-completed");
          sendBack(
            (result.ok
              ? { type: "attempt.succeeded", at }
              : { type: "attempt.failed", at, reason: result.reason, detail: describeFailure(result) }) satisfies AttemptEvent,
          );
        });
      return attemptHandle;
    };

    // xstate v5 starts an invoked actor before the entry actions of the state that invokes it,
    // so task_started (an entry action of the task's `running` state) is recorded after this
    // callback returns. The process must not exist before its intent is in the log (DESIGN §6),
    // so it starts one microtask later, after that synchronous record.
    queueMicrotask(() => {
      if (!stopped) handle = start(input.taskId, input.attempt);
    });

    return () => {
      stopped = true;
      registry.started.delete(input.taskId);
      if (handle === null || !registry.running.has(handle)) return;
      registry.stopping.push(handle.stop(deps.killGraceMs));
    };
  });
}
