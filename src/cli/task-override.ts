// `retry` and `skip`: a person's decision about one task of a milestone that is not running.
// The decision is recorded in the event log (so a resume's reconcile sees it) and in the
// milestone file, and is refused while an executor holds the milestone.
import type { CommandContext } from "./command.ts";
import { EXIT } from "./exit-codes.ts";
import { ExitError, UsageError } from "../errors.ts";
import { layout as projectLayout } from "../store/layout.ts";
import { findMilestone } from "../store/find-milestone.ts";
import { lockIsLive, readLock } from "../store/lock.ts";
import { loadMilestoneQuickly } from "../milestone/read-milestone.ts";
import { MilestoneWriter } from "../milestone/write-back.ts";
import { Journal } from "../log/journal.ts";
import { EventLogWriter } from "../log/event-log-writer.ts";
import { readLog } from "../log/read-log.ts";
import { reconcile } from "../persist/reconcile.ts";
import { loadNewestEnvelope } from "../persist/snapshot-store.ts";
import { newSessionId } from "../store/session-id.ts";
import type { TaskStatus } from "../milestone/schema.ts";

export interface Override {
  name: "retry" | "skip";
  event: "task_retry_requested" | "task_skipped";
  status: TaskStatus;
  /** What a person should do next, shown after the change. */
  next: (id: string) => string;
}

export async function overrideTask(ctx: CommandContext, o: Override): Promise<number> {
  if (ctx.args.length !== 2) throw new UsageError(`${o.name} takes a milestone id and a task id`, `usage: milestone-machine ${o.name} <id> <task>`);
  const [id, taskId] = ctx.args;
  const layout = projectLayout(ctx.cwd);
  const found = findMilestone(layout, id);
  if (found.place === "completed") throw new ExitError(`${id} is completed; its tasks do not run again`, EXIT.badInput);
  const holder = readLock(layout.lock(id));
  if (holder && lockIsLive(holder)) {
    throw new ExitError(
      `${id} is being executed by pid ${holder.pid} on ${holder.host} since ${holder.started_at}; ${o.name} is refused while it runs`,
      EXIT.locked,
      `pause it first: milestone-machine pause ${id}`,
    );
  }
  const loaded = await loadMilestoneQuickly(found.file, { expectedId: id });
  const index = loaded.data.tasks.findIndex((t) => t.id === taskId);
  if (index < 0) {
    throw new UsageError(`${id} has no task '${taskId}'`, `its tasks: ${loaded.data.tasks.map((t) => t.id).join(", ")}`);
  }
  // The log is the record: the task's status is what the file says, overlaid by the log.
  const { events } = readLog(layout.eventLog(id));
  const planned = loaded.data.tasks.map((t) => ({ id: t.id, deps: [], retries: 0, onFailure: "block" as const, status: t.status ?? "pending" }));
  const current = reconcile(planned, await loadNewestEnvelope(layout, id), events).tasks.find((t) => t.id === taskId)!.status;
  // A completed task whose merge conflicted is not run again: a retry lands its branch again,
  // as the person resolved it in its worktree.
  const remerge = o.name === "retry" && current === "completed" && hasOpenConflict(events, taskId);
  if (current === "completed" && !remerge) throw new ExitError(`task '${taskId}' of ${id} is completed; a completed task never runs again`, EXIT.badInput);

  const journal = new Journal(id, newSessionId(), events.at(-1)?.seq ?? 0);
  const log = new EventLogWriter(layout.eventLog(id)).follow(journal.events$);
  // A merge asked for again is not a fresh set of attempts: the task stays completed.
  journal.record(remerge ? { event: "task_merge_requested", data: { task_id: taskId } } : { event: o.event, data: { task_id: taskId, previous_status: current } });
  log.close();
  if (remerge) {
    const result = { id, task: taskId, status: current, previous_status: current, merge: true };
    ctx.stdout.write(ctx.json ? `${JSON.stringify(result)}\n` : `${taskId}: its branch is merged again on resume; continue with 'milestone-machine resume ${id}'\n`);
    return EXIT.completed;
  }
  const writer = new MilestoneWriter(found.file, loaded.text, { doc: () => loaded.doc, plain: loaded.plain });
  writer.setTask(index, "status", o.status);
  writer.flush();
  const result = { id, task: taskId, status: o.status, previous_status: current };
  ctx.stdout.write(ctx.json ? `${JSON.stringify(result)}\n` : `${taskId}: ${current} → ${o.status}; ${o.next(id)}\n`);
  return EXIT.completed;
}

// A merge_conflict blocker of this task that no later event cleared.
function hasOpenConflict(events: ReturnType<typeof readLog>["events"], taskId: string): boolean {
  let open = false;
  for (const e of events) {
    if (e.data.type !== "merge_conflict" || e.data.task !== taskId) continue;
    if (e.event === "blocker_detected") open = true;
    if (e.event === "blocker_cleared") open = false;
  }
  return open;
}
