// Progress from task statuses: the `progress:` block of DESIGN §4. One computation for the
// progress agent during a run and for `status` and `list` reading a file.
import type { TaskStatus } from "./schema.ts";

export type ProgressCounts = Record<TaskStatus, number>;

export interface ProgressTally {
  total: number;
  counts: ProgressCounts;
}

export function countStatuses(statuses: TaskStatus[]): ProgressCounts {
  const counts: ProgressCounts = { pending: 0, in_progress: 0, completed: 0, failed: 0, blocked: 0, skipped: 0, cancelled: 0 };
  for (const s of statuses) counts[s]++;
  return counts;
}

/** Skipped tasks count as done for the percentage, not as completed. */
export function progressSummary({ total, counts }: ProgressTally) {
  const done = counts.completed + counts.skipped;
  return {
    percentage: total === 0 ? 100 : Math.floor((done * 100) / total),
    tasks_completed: counts.completed,
    total_tasks: total,
    tasks_failed: counts.failed,
    tasks_running: counts.in_progress,
  };
}

/** The summary of a list of task statuses: progressSummary of their count. */
export function progressOf(statuses: TaskStatus[]) {
  return progressSummary({ total: statuses.length, counts: countStatuses(statuses) });
}
