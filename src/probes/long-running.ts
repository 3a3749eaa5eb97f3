// The long-running probe: a task without a `timeout` may hang for ever, so one that has run
// longer than checks.warn_after is reported. Pure: the caller passes the clock, and schedules its
// next look at nextLongRunningCheck's absolute time (DESIGN §6: deadlines survive a resume).
import { duration } from "../ui/dashboard-render.ts";
import type { Blocker } from "./blocker.ts";

export interface RunningTask {
  taskId: string;
  /** ISO time the current attempt started. */
  startedAt: string;
  /** A task with a timeout is stopped by it, so it is never reported here. */
  hasTimeout: boolean;
}

/** A task_running_long blocker for each task without a timeout running for warnAfterMs or more. */
export function findLongRunning(running: readonly RunningTask[], warnAfterMs: number, now: Date): Blocker[] {
  const blockers: Blocker[] = [];
  for (const task of watched(running)) {
    const ranMs = now.getTime() - Date.parse(task.startedAt);
    if (ranMs < warnAfterMs) continue;
    blockers.push({
      type: "task_running_long",
      task: task.taskId,
      detail: `task '${task.taskId}' has been running for ${duration(ranMs)} (since ${task.startedAt}), longer than checks.warn_after (${duration(warnAfterMs)}), and has no timeout`,
      fix: `check whether '${task.taskId}' hangs (its log); give it a timeout or raise checks.warn_after, then resume`,
    });
  }
  return blockers;
}

/** ISO time at which the next task not yet reported will cross warnAfterMs; null if none will. */
export function nextLongRunningCheck(running: readonly RunningTask[], warnAfterMs: number, now: Date): string | null {
  let next = Infinity;
  for (const task of watched(running)) {
    const crossesAt = Date.parse(task.startedAt) + warnAfterMs;
    if (crossesAt > now.getTime() && crossesAt < next) next = crossesAt;
  }
  return next === Infinity ? null : new Date(next).toISOString();
}

// An unparseable start time cannot be measured; reporting it as running for NaN helps nobody.
function watched(running: readonly RunningTask[]): RunningTask[] {
  return running.filter((t) => !t.hasTimeout && !Number.isNaN(Date.parse(t.startedAt)));
}
