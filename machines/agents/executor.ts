// The executor agent: holds every task's status as plain data and spawns a task actor only for
// a task that is running, at most `concurrency` at once (DESIGN §3: XState's spawn cost grows
// with the number of children, so never one actor per task up front).
import { assign, enqueueActions, setup, type ActorSystem } from "xstate";
import type { JournalEntry } from "../journal-entry.ts";
import { taskMachine, type TaskCommitting, type TaskRetrying, type TaskSettled, type TaskStarted } from "../task.ts";
import { buildTaskTable, completeTask, replanTable, tableEntries, type TaskEntry, type TaskRow } from "../../src/milestone/readiness.ts";
import type { TaskStatus } from "../../src/milestone/schema.ts";
import { record, waitUntil } from "../provided-later.ts";
import type { BlockersAgentEvent } from "./blockers.ts";

export interface ExecutorInput {
  tasks: TaskEntry[];
  concurrency: number;
  /** Stop every running task as soon as one fails for good (--fail-fast). */
  failFast?: boolean;
  backoffMs: number;
  /** The blockers agent runs the tests after each completed task, so it hears of each. */
  testsAfterTasks: boolean;
}

export interface ExecutorContext {
  concurrency: number;
  backoffMs: number;
  /** Task rows by id. Mutated in place by this actor alone: copying a 10,000-entry record on
   *  every task event would make a run quadratic. */
  rows: Record<string, TaskRow>;
  ready: string[];
  running: string[];
  draining: boolean;
  /** ISO time until which running tasks may finish after a pause was asked for. */
  graceUntil: string | null;
  failFast: boolean;
  /** Set when --fail-fast stopped the run: the end is the failure's, not a pause. */
  stoppedByFailure: boolean;
  /** Absent from snapshots saved before it existed: tell the blockers agent, as they did. */
  testsAfterTasks?: boolean;
}

export interface ExecutorOutput {
  /** True when the run stopped because it was asked to drain (pause), not because work ran out. */
  drained: boolean;
  tasks: TaskEntry[];
}

export type ExecutorEvent =
  | TaskStarted
  | TaskRetrying
  | TaskSettled
  | TaskCommitting
  /** Start nothing new; running tasks may finish until `graceUntil` (null: however long they
   *  take), then they are stopped. */
  | { type: "executor.drain"; graceUntil: string | null }
  /** The milestone file was edited: this is the task list from now on. */
  | { type: "executor.replan"; tasks: TaskEntry[] }
  /** Stop these running tasks now (they ran away); the others go on. */
  | { type: "executor.stopTasks"; taskIds: string[] }
  /** Stop running tasks now (a second Ctrl-C, or the grace period is over). */
  | { type: "executor.stopRunning" }
  | { type: "deadline.reached" };

/** What the progress agent hears about every change of a task's status. */
export type TaskChanged = { type: "task.changed"; taskId: string; from: TaskStatus; to: TaskStatus };
/** ...and about a new task list (the milestone file was edited). */
export type TasksReplanned = { type: "tasks.replanned"; statuses: TaskStatus[] };

export const taskActorId = (taskId: string) => `task:${taskId}`;

/** Sets a task's status in place and returns the change for the progress agent. */
function setStatus(rows: Record<string, TaskRow>, id: string, status: TaskStatus, attempts?: number): TaskChanged {
  const from = rows[id].status;
  rows[id].status = status;
  if (attempts !== undefined) rows[id].attempts = attempts;
  return { type: "task.changed", taskId: id, from, to: status };
}

const progressAgent = ({ system }: { system: ActorSystem<any> }) => system.get("progress");

// A task waiting for its commit has done its work: it is completed, whatever stops now.
const isStoppable = (context: ExecutorContext, id: string) => context.rows[id].status !== "completed";

const recordInterrupted = {
  type: "record",
  params: ({ context }: { context: ExecutorContext }): JournalEntry => ({
    event: "tasks_interrupted",
    data: { tasks: context.running.map((id) => ({ task_id: id, attempt: context.rows[id].attempts })) },
  }),
} as const;

export const executorMachine = setup({
  types: {
    input: {} as ExecutorInput,
    context: {} as ExecutorContext,
    events: {} as ExecutorEvent,
    output: {} as ExecutorOutput,
  },
  actors: {
    task: taskMachine,
    waitUntil,
  },
  guards: {
    failsFast: ({ context, event }) => context.failFast && !(event as TaskSettled).ok,
    hasDeadline: ({ context }) => context.graceUntil !== null,
    hasNoDeadline: ({ context }) => context.graceUntil === null,
    isIdle: ({ context }) => context.running.length === 0 && (context.ready.length === 0 || context.draining),
  },
  actions: {
    record,
    // Stopping a task actor stops its attempt actor, whose cleanup stops the process group; the
    // task is pending again and runs anew, as a new attempt, on resume.
    stopRunning: enqueueActions(({ context, enqueue }) => {
      for (const id of context.running.filter((id) => isStoppable(context, id))) {
        enqueue.stopChild(taskActorId(id));
        enqueue.sendTo(progressAgent, setStatus(context.rows, id, "pending"));
      }
      enqueue.assign({ running: context.running.filter((id) => !isStoppable(context, id)), rows: context.rows });
    }),
    stopTasks: enqueueActions(({ context, event, enqueue }) => {
      const ids = new Set((event as { taskIds: string[] }).taskIds.filter((id) => context.running.includes(id) && isStoppable(context, id)));
      if (ids.size === 0) return;
      enqueue({ type: "record", params: { event: "tasks_interrupted", data: { tasks: [...ids].map((id) => ({ task_id: id, attempt: context.rows[id].attempts })) } } });
      for (const id of ids) {
        enqueue.stopChild(taskActorId(id));
        enqueue.sendTo(progressAgent, setStatus(context.rows, id, "pending"));
      }
      enqueue.assign({ running: context.running.filter((id) => !ids.has(id)), rows: context.rows });
    }),
    replan: enqueueActions(({ context, event, enqueue }) => {
      const { rows, ready } = replanTable(context.rows, (event as { tasks: TaskEntry[] }).tasks, context.running);
      const replanned: TasksReplanned = { type: "tasks.replanned", statuses: Object.values(rows).map((r) => r.status) };
      enqueue.sendTo(progressAgent, replanned);
      enqueue.assign({ rows, ready });
    }),
    noteCommitting: enqueueActions(({ context, event, enqueue }) => {
      const e = event as TaskCommitting;
      enqueue.sendTo(progressAgent, setStatus(context.rows, e.taskId, "completed", e.attempts));
      enqueue.assign({ rows: context.rows });
    }),
    settle: enqueueActions(({ context, event, enqueue, system }) => {
      const e = event as TaskSettled;
      enqueue.stopChild(taskActorId(e.taskId));
      const blockers = system.get("blockers");
      // Only a run testing after each task wants to hear: otherwise every task would cost the
      // blockers agent a macrostep that changes nothing.
      const completed: BlockersAgentEvent = { type: "blockers.taskCompleted", taskId: e.taskId };
      if (e.ok && blockers && context.testsAfterTasks !== false) enqueue.sendTo(blockers, completed);
      enqueue.sendTo(progressAgent, setStatus(context.rows, e.taskId, e.ok ? "completed" : "failed", e.attempts));
      context.rows[e.taskId].retryAt = null;
      const running = context.running.filter((id) => id !== e.taskId);
      // A task that may fail (`on_failure: continue`) releases its dependents either way.
      if (e.ok || context.rows[e.taskId].onFailure === "continue") context.ready.push(...completeTask(context.rows, e.taskId));
      enqueue.assign({ rows: context.rows, ready: context.ready, running });
    }),
    noteAttempt: assign(({ context, event }) => {
      const e = event as TaskStarted;
      context.rows[e.taskId].attempts = e.attempt;
      context.rows[e.taskId].retryAt = null;
      return { rows: context.rows };
    }),
    noteRetry: assign(({ context, event }) => {
      const e = event as TaskRetrying;
      context.rows[e.taskId].retryAt = e.retryAt;
      return { rows: context.rows };
    }),
    dispatch: enqueueActions(({ context, enqueue }) => {
      if (context.draining) return;
      const free = context.concurrency - context.running.length;
      if (free <= 0 || context.ready.length === 0) return;
      const starting = context.ready.splice(0, free);
      context.running.push(...starting);
      for (const id of starting) {
        const row = context.rows[id];
        enqueue.sendTo(progressAgent, setStatus(context.rows, id, "in_progress"));
        // A task resumed mid-backoff goes on from the attempt that failed: its actor waits, then
        // counts up to the next attempt itself (task.started). Any other starts its next attempt
        // now, and the row counts it from here.
        const attempt = row.retryAt ? row.attempts : row.attempts + 1;
        const lastAttempt = attempt + row.retries;
        if (!row.retryAt) row.attempts = attempt;
        enqueue.spawnChild("task", {
          id: taskActorId(id),
          // The git agent answers a task waiting for its commit by this name.
          systemId: taskActorId(id),
          input: { taskId: id, attempt, lastAttempt, backoffMs: context.backoffMs, retryAt: row.retryAt ?? null },
        });
      }
      enqueue.assign({ ready: context.ready, running: context.running, rows: context.rows });
    }),
  },
}).createMachine({
  id: "executor",
  context: ({ input }) => {
    const { rows, ready } = buildTaskTable(input.tasks);
    return {
      concurrency: input.concurrency,
      backoffMs: input.backoffMs,
      rows,
      ready,
      running: [],
      draining: false,
      graceUntil: null,
      failFast: input.failFast ?? false,
      stoppedByFailure: false,
      testsAfterTasks: input.testsAfterTasks,
    };
  },
  initial: "running",
  states: {
    running: {
      entry: "dispatch",
      always: { guard: "isIdle", target: "done" },
      on: {
        "task.started": { actions: "noteAttempt" },
        "task.retrying": { actions: "noteRetry" },
        "task.committing": { actions: "noteCommitting" },
        "executor.stopTasks": { actions: "stopTasks" },
        "executor.replan": { actions: ["replan", "dispatch"] },
        "task.settled": [
          {
            guard: "failsFast",
            target: "draining",
            actions: ["settle", assign({ draining: true, stoppedByFailure: true }), recordInterrupted, "stopRunning"],
          },
          { actions: ["settle", "dispatch"] },
        ],
        "executor.drain": {
          target: "draining",
          actions: assign(({ event }) => ({ draining: true, graceUntil: event.graceUntil })),
        },
        "executor.stopRunning": { target: "draining", actions: [assign({ draining: true }), recordInterrupted, "stopRunning"] },
      },
    },
    // Nothing new starts; what runs may finish until the grace deadline, then it is stopped.
    draining: {
      always: { guard: "isIdle", target: "done" },
      on: {
        "task.started": { actions: "noteAttempt" },
        "task.retrying": { actions: "noteRetry" },
        "task.committing": { actions: "noteCommitting" },
        "task.settled": { actions: "settle" },
        "executor.stopTasks": { actions: "stopTasks" },
        "executor.replan": { actions: "replan" },
        "executor.stopRunning": { actions: [recordInterrupted, "stopRunning"] },
        // A pause asked for while draining for a blocker sets the deadline a blocker left open.
        "executor.drain": { guard: "hasNoDeadline", target: "draining", reenter: true, actions: assign(({ event }) => ({ graceUntil: event.graceUntil })) },
      },
      initial: "choosing",
      states: {
        choosing: { always: [{ guard: "hasDeadline", target: "timed" }, { target: "open" }] },
        timed: {
          invoke: { id: "grace", src: "waitUntil", input: ({ context }) => ({ at: context.graceUntil! }) },
          on: { "deadline.reached": { actions: [recordInterrupted, "stopRunning"] } },
        },
        open: {},
      },
    },
    done: { type: "final" },
  },
  output: ({ context }) => ({ drained: context.draining && !context.stoppedByFailure, tasks: tableEntries(context.rows) }),
});
