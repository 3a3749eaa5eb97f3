// Which tasks may start: a task is ready once every task it depends on is done. Kept as counters
// (how many dependencies are still outstanding) so that settling one task costs time in
// proportion to its dependents, not to the size of the milestone.
import type { OnFailure, TaskStatus } from "./schema.ts";

/** A task as the executor sees it: plain JSON, part of machine context and snapshots. */
export interface TaskEntry {
  id: string;
  deps: string[];
  retries: number;
  onFailure: OnFailure;
  status: TaskStatus;
  /** Attempts made so far, over all runs. */
  attempts: number;
  /** When a task was waiting out a retry backoff at a crash: the ISO time its next attempt is due. */
  retryAt?: string | null;
  /** Runs alone (`isolation: shared`: in the person's checkout, beside no other task). */
  exclusive?: boolean;
}

export interface TaskRow extends TaskEntry {
  /** Dependencies not yet done. */
  waiting: number;
  dependents: string[];
}

export interface TaskTable {
  rows: Record<string, TaskRow>;
  /** Ids of tasks ready to start, in file order. */
  ready: string[];
}

const DONE: ReadonlySet<TaskStatus> = new Set(["completed", "skipped"]);

/** Done for its dependents: completed, skipped, or failed with `on_failure: continue`. */
export function isSettledForGood(t: Pick<TaskEntry, "status" | "onFailure">): boolean {
  return DONE.has(t.status) || (t.status === "failed" && t.onFailure === "continue");
}

/** Builds the table; tasks left mid-flight or failed by an earlier run are pending again. */
export function buildTaskTable(tasks: TaskEntry[]): TaskTable {
  const rows: Record<string, TaskRow> = {};
  for (const t of tasks) {
    const status: TaskStatus = isSettledForGood(t) ? t.status : "pending";
    // Spelled out, not `{ ...t }`: on Node 20 every object spread after warm-up gets a hidden
    // class of its own, so 10,000 rows meant 10,000 maps (6 MB) and megamorphic reads of rows.
    rows[t.id] = { id: t.id, deps: t.deps, retries: t.retries, onFailure: t.onFailure, status, attempts: t.attempts, retryAt: t.retryAt ?? null, exclusive: t.exclusive === true, waiting: 0, dependents: [] };
  }
  for (const t of tasks) {
    for (const dep of t.deps) {
      rows[dep].dependents.push(t.id);
      if (!isSettledForGood(rows[dep])) rows[t.id].waiting++;
    }
  }
  const ready = tasks.filter((t) => rows[t.id].status === "pending" && rows[t.id].waiting === 0).map((t) => t.id);
  return { rows, ready };
}

/** The table after the milestone file was edited mid-run: `entries` is the new task list (with
 *  definitions only for tasks that have not started); what tasks have done so far is kept. */
export function replanTable(rows: Record<string, TaskRow>, entries: TaskEntry[], running: readonly string[]): TaskTable {
  const busy = new Set(running);
  const merged = entries.map((e): TaskEntry => {
    const row = rows[e.id];
    if (!row) return e;
    return { ...e, status: row.status, attempts: row.attempts, ...(row.retryAt ? { retryAt: row.retryAt } : {}) };
  });
  const table = buildTaskTable(merged);
  // buildTaskTable puts running and failed tasks back to pending, as for a new run: here they
  // keep going, or keep blocking.
  for (const e of merged) {
    if (busy.has(e.id) || e.status === "failed") table.rows[e.id].status = e.status;
  }
  table.ready = table.ready.filter((id) => table.rows[id].status === "pending" && !busy.has(id));
  return table;
}

/** Marks a task done and returns the dependents that became ready. Mutates the rows. */
export function completeTask(rows: Record<string, TaskRow>, id: string): string[] {
  const newlyReady: string[] = [];
  for (const dependent of rows[id].dependents) {
    const row = rows[dependent];
    row.waiting--;
    if (row.waiting === 0 && row.status === "pending") newlyReady.push(dependent);
  }
  return newlyReady;
}

/** Plain entries (without the derived counters) for output and snapshots. */
export function tableEntries(rows: Record<string, TaskRow>): TaskEntry[] {
  return Object.values(rows).map(({ id, deps, retries, onFailure, status, attempts, retryAt, exclusive }) => ({
    id, deps, retries, onFailure, status, attempts, ...(retryAt ? { retryAt } : {}), ...(exclusive ? { exclusive } : {}),
  }));
}

/** Takes from `ready` (in order) the tasks that may start now beside `running`, at most `free`:
 *  an exclusive task starts only alone, and the tasks behind it wait for its turn. */
export function takeStartable(rows: Record<string, TaskRow>, ready: string[], running: readonly string[], free: number): string[] {
  if (running.some((id) => rows[id].exclusive)) return [];
  let n = 0;
  while (n < ready.length && n < free) {
    if (rows[ready[n]].exclusive) {
      if (n === 0 && running.length === 0) n = 1;
      break;
    }
    n++;
  }
  return ready.splice(0, n);
}

/** Every task that waits, directly or not, on one of `ids`: what a failure leaves blocked. */
export function dependentsOf(tasks: TaskEntry[], ids: string[]): string[] {
  const waiting = new Map<string, string[]>();
  for (const t of tasks) for (const d of t.deps) waiting.set(d, [...(waiting.get(d) ?? []), t.id]);
  const seen = new Set<string>();
  const queue = [...ids];
  while (queue.length) {
    for (const next of waiting.get(queue.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return tasks.filter((t) => seen.has(t.id)).map((t) => t.id);
}
