// The `attempts` actor the executor invokes: every attempt of every task of a run, each as a
// process group. It reports attempt.started once the process exists (its pid arrives
// asynchronously) and attempt.succeeded/failed when it ends, and attempt.due when a backoff is
// over; a stop (a runaway task, a pause's deadline) or the actor's own end stops the process group.
import path from "node:path";
import { fromCallback } from "xstate";
import type { AttemptEvent, AttemptsRequest } from "../../machines/attempts.ts";
import { atDeadline, startAttempt, describeFailure, type AttemptHandle, type AttemptResult } from "../exec/index.ts";
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

export interface AttemptsDeps {
  layout: Layout;
  milestoneId: string;
  sessionId: string;
  tasks: ReadonlyMap<string, PlanTask>;
  killGraceMs: number;
  registry: AttemptRegistry;
  /** Returns true when the result means the whole run must stop (and takes care of that). */
  isFatal(result: AttemptResult): boolean;
  /** The directory the attempt runs in (a worktree of its own, prepared first, in a git run).
   *  A rejection whose error carries `blockerType` (and `hint`) blocks the run. */
  workdir(taskId: string, attempt: number, resolving: boolean): string | Promise<string>;
  /** The prompt that hands a task's conflicting files to its agent (`on_conflict: agent`). */
  conflictPrompt(taskId: string, files: string[]): string;
}

// What the actor has under way for one task: its directory being prepared, a process, or a
// backoff's timer.
type Work = { kind: "preparing"; stopped: boolean } | { kind: "process"; handle: AttemptHandle; stopped: boolean } | { kind: "backoff"; cancel(): void };

export function attemptsActor(deps: AttemptsDeps) {
  const { layout, registry } = deps;
  return fromCallback<AttemptsRequest>(({ sendBack, receive }) => {
    const work = new Map<string, Work>();

    const start = (taskId: string, attempt: number, resolve?: { files: string[] }): void => {
      const dir = deps.workdir(taskId, attempt, resolve !== undefined);
      if (typeof dir === "string") return launch(taskId, attempt, dir, resolve);
      const entry: Work = { kind: "preparing", stopped: false };
      work.set(taskId, entry);
      dir.then(
        (cwd) => {
          if (!entry.stopped) launch(taskId, attempt, cwd, resolve);
        },
        (error: { blockerType?: string; message?: string; hint?: string }) => {
          if (entry.stopped) return;
          work.delete(taskId);
          const blocker = { type: error.blockerType ?? "git_error", detail: `task ${taskId}: ${error.message ?? String(error)}`, task: taskId, fix: error.hint ?? "fix the repository, then run resume" };
          sendBack({ type: "attempt.blocked", taskId, attempt, blocker } satisfies AttemptEvent);
        },
      );
    };

    const launch = (taskId: string, attempt: number, cwd: string, resolve?: { files: string[] }): void => {
      const task = deps.tasks.get(taskId)!;
      // Resolving a conflict, the agent command gets the conflict's prompt instead of the task's.
      const command = resolve && task.resolver ? { kind: "agent" as const, argv: [...task.resolver, deps.conflictPrompt(taskId, resolve.files)] } : task.command;
      const logFile = layout.taskLog(deps.milestoneId, task.id, attempt);
      const startedAt = Date.now();
      const deadline = task.timeoutMs === null ? null : startedAt + task.timeoutMs;
      const handle = startAttempt({
        command,
        verify: task.verify,
        cwd,
        env: { ...task.env, ...markerEnv({ project: layout.project, milestoneId: deps.milestoneId, taskId: task.id, attempt, sessionId: deps.sessionId, executorPid: process.pid }) },
        logFile,
        deadline,
        killGraceMs: deps.killGraceMs,
      });
      const entry: Work = { kind: "process", handle, stopped: false };
      work.set(taskId, entry);
      registry.running.add(handle);
      registry.started.set(taskId, { startedAt: new Date(startedAt).toISOString(), hasTimeout: deadline !== null });
      handle.started
        .then((started) => {
          // No process, no task_spawned: `done` reports the spawn failure.
          if (started === null) return handle.done;
          crashPoint("after-spawn");
          // Stopped while the spawn was under way: the stop kills the group, and the executor
          // has moved on, so there is nobody to tell.
          if (!entry.stopped) {
            sendBack({
              type: "attempt.started",
              taskId,
              attempt,
              pid: started.pid,
              pgid: started.pgid,
              at: new Date(startedAt).toISOString(),
              deadline: deadline === null ? null : new Date(deadline).toISOString(),
              log: path.relative(layout.project, logFile),
            } satisfies AttemptEvent);
          }
          return handle.done;
        })
        .then((result) => {
          registry.running.delete(handle);
          if (entry.stopped) return;
          work.delete(taskId);
          registry.started.delete(taskId);
          if (deps.isFatal(result)) return;
          const at = new Date().toISOString();
          if (result.ok) crashPoint("before-task-completed");
          sendBack(
            (result.ok
              ? { type: "attempt.succeeded", taskId, attempt, at }
              : { type: "attempt.failed", taskId, attempt, at, reason: result.reason, detail: describeFailure(result) }) satisfies AttemptEvent,
          );
        });
    };

    const wait = (taskId: string, attempt: number, at: string): void => {
      const cancel = atDeadline(Date.parse(at), () => {
        work.delete(taskId);
        sendBack({ type: "attempt.due", taskId, attempt } satisfies AttemptEvent);
      });
      work.set(taskId, { kind: "backoff", cancel });
    };

    const stop = (taskId: string): void => {
      const entry = work.get(taskId);
      if (entry === undefined) return;
      work.delete(taskId);
      registry.started.delete(taskId);
      if (entry.kind === "backoff") return entry.cancel();
      entry.stopped = true;
      if (entry.kind === "preparing") return;
      if (registry.running.has(entry.handle)) registry.stopping.push(entry.handle.stop(deps.killGraceMs));
    };

    receive((request) => {
      if (request.type === "attempts.start") start(request.taskId, request.attempt, request.resolve);
      else if (request.type === "attempts.wait") wait(request.taskId, request.attempt, request.at);
      else for (const taskId of request.taskIds) stop(taskId);
    });
    return () => {
      for (const taskId of [...work.keys()]) stop(taskId);
    };
  });
}
