// The `progress` a milestone file's task statuses add up to, for `status` and `list`: the same
// figures the progress agent writes while a run goes.
import { progressOf } from "../milestone/progress.ts";
import { TASK_STATUSES } from "../milestone/id-rules.ts";
import type { TaskStatus } from "../milestone/schema.ts";

export interface FileProgress {
  percentage: number;
  tasks_completed: number;
  total_tasks: number;
}

const KNOWN = new Set<unknown>(TASK_STATUSES);

/** Statuses are read leniently (status works on a file being edited): an unknown one counts as pending. */
export function fileProgress(statuses: unknown[]): FileProgress {
  const known = statuses.map((s): TaskStatus => (KNOWN.has(s) ? (s as TaskStatus) : "pending"));
  const { percentage, tasks_completed, total_tasks } = progressOf(known);
  return { percentage, tasks_completed, total_tasks };
}
