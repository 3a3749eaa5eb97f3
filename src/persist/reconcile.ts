// Resume: the task table a run continues from. The newest snapshot gives the table as of its
// seq; the event log lines after that seq are replayed over it, because the log is written
// first and is always at least as new. Without a snapshot the milestone file's statuses are the
// base and the whole log is replayed.
import type { Envelope } from "./envelope.ts";
import type { LoggedEvent } from "../log/event-types.ts";
import type { TaskEntry } from "../milestone/readiness.ts";
import type { PlanTask } from "../milestone/plan-types.ts";

/** What reconcile needs of the plan's tasks. */
export type PlannedTask = Pick<PlanTask, "id" | "deps" | "retries" | "status" | "onFailure"> & Partial<Pick<PlanTask, "isolation">>;

export interface InFlight {
  taskId: string;
  attempt: number;
  /** From task_spawned, when the crash came after the spawn was recorded. */
  pgid: number | null;
}

export interface Reconciled {
  tasks: TaskEntry[];
  /** Attempts that were started and never ended: their processes may still run. */
  inFlight: InFlight[];
  /** Tasks whose completion was in the log but not in the snapshot. */
  completedSinceSnapshot: string[];
  replayed: number;
}

type ChildSnapshots = Record<string, { snapshot?: { value?: unknown; context?: Record<string, unknown>; children?: ChildSnapshots } }>;

/** The table in a snapshot: the executor's rows while it ran, with the pid of each running
 *  attempt (from its flights; snapshots saved before them kept it in a task actor per running
 *  task, with the end of a backoff), else the root's copy. */
export function tasksInSnapshot(envelope: Envelope): Array<TaskEntry & { pid?: number | null }> {
  const executor = ((envelope.snapshot.children ?? {}) as ChildSnapshots).executor?.snapshot;
  const rows = executor?.context?.rows as Record<string, TaskEntry> | undefined;
  if (!rows) return (envelope.snapshot.context as { tasks: TaskEntry[] }).tasks;
  const flights = (executor?.context?.flights ?? {}) as Record<string, { pid?: number | null }>;
  const actors = executor?.children ?? {};
  return Object.values(rows).map(({ id, deps, retries, onFailure, status, attempts, retryAt }) => {
    const task = actors[`task:${id}`]?.snapshot;
    const waiting = task?.value === "retrying" ? (task.context?.retryAt as string | null) : null;
    const pid = flights[id]?.pid ?? (task?.context?.pid as number | null | undefined) ?? null;
    return { id, deps, retries, onFailure, status, attempts, retryAt: waiting ?? retryAt ?? null, pid };
  });
}

export function reconcile(planned: PlannedTask[], envelope: Envelope | null, events: LoggedEvent[]): Reconciled {
  const fromSnapshot = new Map((envelope ? tasksInSnapshot(envelope) : []).map((t) => [t.id, t]));
  // The plan is the source of the task list (it may have grown); state comes from the record.
  const tasks = new Map<string, TaskEntry>(
    planned.map((t) => {
      const known = fromSnapshot.get(t.id);
      return [t.id, { id: t.id, deps: t.deps, retries: t.retries, onFailure: t.onFailure, status: known?.status ?? t.status, attempts: known?.attempts ?? 0, retryAt: known?.retryAt ?? null, ...(t.isolation === "shared" ? { exclusive: true } : {}) }];
    }),
  );
  const after = envelope?.seq ?? 0;
  const open = new Map<string, InFlight>();
  for (const t of fromSnapshot.values()) {
    if (t.status === "in_progress" && !t.retryAt) open.set(t.id, { taskId: t.id, attempt: t.attempts, pgid: t.pid ?? null });
  }
  const completedSinceSnapshot: string[] = [];
  let replayed = 0;
  for (const e of events) {
    if (e.seq <= after) continue;
    replayed++;
    const task = tasks.get(String(e.data.task_id));
    switch (e.event) {
      case "task_started":
        if (!task) break;
        task.attempts = Number(e.data.attempt);
        task.status = "in_progress";
        task.retryAt = null;
        open.set(task.id, { taskId: task.id, attempt: task.attempts, pgid: null });
        break;
      case "task_spawned": {
        const flight = open.get(String(e.data.task_id));
        if (flight) flight.pgid = Number(e.data.pgid) || null;
        break;
      }
      case "task_completed":
        if (!task) break;
        task.status = "completed";
        open.delete(task.id);
        completedSinceSnapshot.push(task.id);
        break;
      case "task_failed":
        if (!task) break;
        task.status = "failed";
        open.delete(task.id);
        break;
      case "task_retrying":
        if (!task) break;
        task.status = "pending";
        task.retryAt = String(e.data.retry_at);
        open.delete(task.id);
        break;
      case "task_skipped":
        if (!task) break;
        task.status = "skipped";
        task.retryAt = null;
        open.delete(task.id);
        break;
      case "task_retry_requested":
        if (!task) break;
        task.status = "pending";
        task.retryAt = null;
        open.delete(task.id);
        break;
      case "tasks_interrupted":
        for (const t of (e.data.tasks as Array<{ task_id: string }>) ?? []) {
          const row = tasks.get(t.task_id);
          if (row && row.status === "in_progress") row.status = "pending";
          open.delete(t.task_id);
        }
        break;
    }
  }
  for (const flight of open.values()) tasks.get(flight.taskId)!.status = "pending";
  return { tasks: [...tasks.values()], inFlight: [...open.values()], completedSinceSnapshot, replayed };
}
