// The executor agent: holds every task's status as plain data and runs each task's attempts,
// at most `concurrency` tasks at once. A running task is a `flight` in its context, not an actor:
// the processes are the one `attempts` actor's. (DESIGN §3 has a task actor per running task; it
// and its attempt actor, two creations and three macrosteps per task, were a tenth of a
// 1,000-task run, issue 7.)
//
// One task, as its attempt events arrive:
//   dispatch → attempt.started → attempt.succeeded → (git.committed) → settled
//                              ↘ attempt.failed → attempts left? retrying → attempt.due → running again
//                                                               : failed, settled
import { and, assign, enqueueActions, not, setup, type ActorSystem, type AnyActorRef } from "xstate";
import type { JournalEntry } from "../journal-entry.ts";
import { attempts, retryAtAfter, type AttemptEvent, type AttemptsRequest } from "../attempts.ts";
import type { GitAgentEvent, TaskCommitted } from "./git.ts";
import { buildTaskTable, completeTask, replanTable, tableEntries, takeStartable, type TaskEntry, type TaskRow } from "../../src/milestone/readiness.ts";
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

/** A running task: what its attempts are doing now. */
export interface Flight {
  /** The attempt under way, or while waiting out a backoff the one that failed. */
  attempt: number;
  /** The last attempt this run may make: its first one here plus the task's retries. */
  lastAttempt: number;
  /** The running attempt's process (its group's leader), once spawned. */
  pid: number | null;
  /** ISO time the running attempt started. */
  startedAt: string | null;
  /** Done and logged as completed; waits for its commit. */
  committing: boolean;
  /** Done, but its work conflicted with the milestone branch: this attempt is its agent
   *  resolving the conflict (`on_conflict: agent`), after which it lands again. */
  resolving?: boolean;
}

export interface ExecutorContext {
  concurrency: number;
  backoffMs: number;
  /** Task rows by id. Mutated in place by this actor alone: copying a 10,000-entry record on
   *  every task event would make a run quadratic. */
  rows: Record<string, TaskRow>;
  ready: string[];
  running: string[];
  /** One per running task, by id; mutated in place like rows. */
  flights: Record<string, Flight>;
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
  | AttemptEvent
  | TaskCommitted
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

/** Sets a task's status in place and returns the change for the progress agent. */
function setStatus(rows: Record<string, TaskRow>, id: string, status: TaskStatus): TaskChanged {
  const from = rows[id].status;
  rows[id].status = status;
  return { type: "task.changed", taskId: id, from, to: status };
}

const progressAgent = ({ system }: { system: ActorSystem<any> }): AnyActorRef => system.get("progress");

// A task waiting for its commit has done its work: it is completed, whatever stops now.
const isStoppable = (context: ExecutorContext, id: string) => context.rows[id].status !== "completed";

// Every attempt event names its task and attempt; the failed one carries the most.
const attemptEvent = (event: ExecutorEvent) => event as Extract<AttemptEvent, { type: "attempt.failed" }>;

// What the helpers below use of an enqueueActions `enqueue`.
interface Enqueue {
  (action: { type: "record"; params: JournalEntry }): void;
  sendParent(event: { type: "BLOCK"; blockers: Array<{ type: string; detail: string; task: string; fix: string }> }): void;
  sendTo(to: string | AnyActorRef | ((args: { system: ActorSystem<any> }) => AnyActorRef), event: AttemptsRequest | TaskChanged | BlockersAgentEvent): void;
  assign(values: Partial<ExecutorContext>): void;
}

// Intent first: task_started is in the log before the process exists (the request goes out after
// this macrostep's actions), so a crash never leaves a task's side effects without a record.
function startAttempt(enqueue: Enqueue, taskId: string, attempt: number): void {
  enqueue({ type: "record", params: { event: "task_started", data: { task_id: taskId, attempt } } });
  enqueue.sendTo("attempts", { type: "attempts.start", taskId, attempt } satisfies AttemptsRequest);
}

// The task is done for good: free its slot, tell who listens, release its dependents.
function settle(context: ExecutorContext, enqueue: Enqueue, system: ActorSystem<any>, taskId: string, ok: boolean): void {
  const blockers = system.get("blockers");
  // Only a run testing after each task wants to hear: otherwise every task would cost the
  // blockers agent a macrostep that changes nothing.
  const completed: BlockersAgentEvent = { type: "blockers.taskCompleted", taskId };
  if (ok && blockers && context.testsAfterTasks !== false) enqueue.sendTo(blockers, completed);
  const row = context.rows[taskId];
  // A task that waited for its commit is completed already.
  if (row.status !== (ok ? "completed" : "failed")) enqueue.sendTo(progressAgent, setStatus(context.rows, taskId, ok ? "completed" : "failed"));
  row.retryAt = null;
  delete context.flights[taskId];
  const running = context.running.filter((id) => id !== taskId);
  // A task that may fail (`on_failure: continue`) releases its dependents either way.
  if (ok || row.onFailure === "continue") context.ready.push(...completeTask(context.rows, taskId));
  enqueue.assign({ rows: context.rows, flights: context.flights, ready: context.ready, running });
}

// Stop these running tasks' processes or backoffs: pending again, each runs anew, as a new
// attempt, on resume.
function stopFlights(context: ExecutorContext, enqueue: Enqueue, ids: string[]): void {
  if (ids.length === 0) return;
  enqueue.sendTo("attempts", { type: "attempts.stop", taskIds: ids } satisfies AttemptsRequest);
  for (const id of ids) {
    enqueue.sendTo(progressAgent, setStatus(context.rows, id, "pending"));
    delete context.flights[id];
  }
  const stopped = new Set(ids);
  enqueue.assign({ running: context.running.filter((id) => !stopped.has(id)), rows: context.rows, flights: context.flights });
}

// A task that has not finished: it would run on a resume.
const hasWorkLeft = (rows: Record<string, TaskRow>) => Object.values(rows).some((r) => r.status === "pending" || r.status === "in_progress");

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
    attempts,
    waitUntil,
  },
  guards: {
    // Provided by src/runtime.ts: true when the run commits each task (a git work tree, no --no-git).
    commitsTasks: () => false,
    // About the attempt the executor waits for, not one of a task it has stopped since.
    isCurrent: ({ context, event }) => context.flights[attemptEvent(event).taskId]?.attempt === attemptEvent(event).attempt,
    isCommitting: ({ context, event }) => context.flights[(event as TaskCommitted).taskId]?.committing === true,
    isResolving: ({ context, event }) => context.flights[attemptEvent(event).taskId]?.resolving === true,
    hasAttemptsLeft: ({ context, event }) => {
      const flight = context.flights[attemptEvent(event).taskId];
      return flight.attempt < flight.lastAttempt;
    },
    failsFast: ({ context }) => context.failFast,
    hasDeadline: ({ context }) => context.graceUntil !== null,
    hasNoDeadline: ({ context }) => context.graceUntil === null,
    isIdle: ({ context }) => context.running.length === 0 && (context.ready.length === 0 || context.draining),
  },
  actions: {
    record,
    stopBackoffs: enqueueActions(({ context, enqueue }) => {
      const waiting = context.running.filter((id) => context.flights[id]?.pid === null && context.rows[id].retryAt);
      if (waiting.length === 0) return;
      enqueue({ type: "record", params: { event: "tasks_interrupted", data: { tasks: waiting.map((id) => ({ task_id: id, attempt: context.rows[id].attempts })) } } });
      stopFlights(context, enqueue, waiting);
    }),
    stopRunning: enqueueActions(({ context, enqueue }) => {
      stopFlights(context, enqueue, context.running.filter((id) => isStoppable(context, id)));
    }),
    stopTasks: enqueueActions(({ context, event, enqueue }) => {
      const ids = (event as { taskIds: string[] }).taskIds.filter((id) => context.running.includes(id) && isStoppable(context, id));
      if (ids.length === 0) return;
      enqueue({ type: "record", params: { event: "tasks_interrupted", data: { tasks: ids.map((id) => ({ task_id: id, attempt: context.rows[id].attempts })) } } });
      stopFlights(context, enqueue, ids);
    }),
    replan: enqueueActions(({ context, event, enqueue }) => {
      const { rows, ready } = replanTable(context.rows, (event as { tasks: TaskEntry[] }).tasks, context.running);
      const replanned: TasksReplanned = { type: "tasks.replanned", statuses: Object.values(rows).map((r) => r.status) };
      enqueue.sendTo(progressAgent, replanned);
      enqueue.assign({ rows, ready });
    }),
    dispatch: enqueueActions(({ context, enqueue }) => {
      if (context.draining) return;
      const free = context.concurrency - context.running.length;
      if (free <= 0 || context.ready.length === 0) return;
      const starting = takeStartable(context.rows, context.ready, context.running, free);
      if (starting.length === 0) return;
      context.running.push(...starting);
      for (const id of starting) {
        const row = context.rows[id];
        enqueue.sendTo(progressAgent, setStatus(context.rows, id, "in_progress"));
        // A task resumed mid-backoff goes on from the attempt that failed once the backoff is
        // over; any other starts its next attempt now. Either way this run may retry it
        // `retries` times from here.
        if (row.retryAt) {
          context.flights[id] = { attempt: row.attempts, lastAttempt: row.attempts + row.retries, pid: null, startedAt: null, committing: false };
          enqueue.sendTo("attempts", { type: "attempts.wait", taskId: id, attempt: row.attempts, at: row.retryAt } satisfies AttemptsRequest);
        } else {
          row.attempts += 1;
          context.flights[id] = { attempt: row.attempts, lastAttempt: row.attempts + row.retries, pid: null, startedAt: null, committing: false };
          startAttempt(enqueue, id, row.attempts);
        }
      }
      enqueue.assign({ ready: context.ready, running: context.running, rows: context.rows, flights: context.flights });
    }),
    noteSpawned: enqueueActions(({ context, event, enqueue }) => {
      const e = event as Extract<AttemptEvent, { type: "attempt.started" }>;
      const flight = context.flights[e.taskId];
      flight.pid = e.pid;
      flight.startedAt = e.at;
      enqueue({
        type: "record",
        params: { event: "task_spawned", data: { task_id: e.taskId, attempt: e.attempt, pid: e.pid, pgid: e.pgid, deadline: e.deadline, log: e.log } },
      });
      enqueue.assign({ flights: context.flights });
    }),
    // Logged as completed: from here on a stop or crash never runs the task again.
    noteSucceeded: enqueueActions(({ context, event, enqueue }) => {
      const e = event as Extract<AttemptEvent, { type: "attempt.succeeded" }>;
      const flight = context.flights[e.taskId];
      enqueue({
        type: "record",
        params: {
          event: "task_completed",
          data: { task_id: e.taskId, attempt: e.attempt, duration_ms: flight.startedAt ? Date.parse(e.at) - Date.parse(flight.startedAt) : null },
        },
      });
    }),
    awaitCommit: enqueueActions(({ context, event, enqueue, system }) => {
      const { taskId } = event as Extract<AttemptEvent, { type: "attempt.succeeded" }>;
      context.flights[taskId].committing = true;
      enqueue.sendTo(progressAgent, setStatus(context.rows, taskId, "completed"));
      const commit: GitAgentEvent = { type: "git.commitTask", taskId };
      enqueue.sendTo(system.get("git"), commit);
      enqueue.assign({ rows: context.rows, flights: context.flights });
    }),
    settleSucceeded: enqueueActions(({ context, event, enqueue, system }) => {
      settle(context, enqueue, system, (event as { taskId: string }).taskId, true);
    }),
    settleFailed: enqueueActions(({ context, event, enqueue, system }) => {
      const e = attemptEvent(event);
      enqueue({ type: "record", params: { event: "task_failed", data: { task_id: e.taskId, attempt: e.attempt, reason: e.reason, detail: e.detail } } });
      settle(context, enqueue, system, e.taskId, false);
    }),
    // The executor keeps the time the next attempt is due, so a pause or crash loses none of it.
    retry: enqueueActions(({ context, event, enqueue }) => {
      const e = attemptEvent(event);
      const retryAt = retryAtAfter(e.at, context.backoffMs, e.attempt);
      context.rows[e.taskId].retryAt = retryAt;
      context.flights[e.taskId].pid = null;
      enqueue({
        type: "record",
        params: {
          event: "task_retrying",
          data: { task_id: e.taskId, attempt: e.attempt, reason: e.reason, detail: e.detail, next_attempt: e.attempt + 1, retry_at: retryAt },
        },
      });
      enqueue.sendTo("attempts", { type: "attempts.wait", taskId: e.taskId, attempt: e.attempt, at: retryAt } satisfies AttemptsRequest);
      enqueue.assign({ rows: context.rows, flights: context.flights });
    }),
    // The task's work conflicts with the milestone branch and its agent is to resolve that: an
    // attempt of its own, in the worktree as it is, with no retries; the task stays completed.
    resolveConflict: enqueueActions(({ context, event, enqueue }) => {
      const { taskId, files } = event as Extract<TaskCommitted, { type: "git.conflicted" }>;
      const row = context.rows[taskId];
      row.attempts += 1;
      context.flights[taskId] = { attempt: row.attempts, lastAttempt: row.attempts, pid: null, startedAt: null, committing: false, resolving: true };
      enqueue({ type: "record", params: { event: "conflict_resolution_started", data: { task_id: taskId, attempt: row.attempts, files } } });
      enqueue.sendTo("attempts", { type: "attempts.start", taskId, attempt: row.attempts, resolve: { files } } satisfies AttemptsRequest);
      enqueue.assign({ rows: context.rows, flights: context.flights });
    }),
    noteResolved: enqueueActions(({ context, event, enqueue }) => {
      const e = event as Extract<AttemptEvent, { type: "attempt.succeeded" }>;
      context.flights[e.taskId].resolving = false;
      enqueue({ type: "record", params: { event: "conflict_resolved", data: { task_id: e.taskId, attempt: e.attempt } } });
      enqueue.assign({ flights: context.flights });
    }),
    // The agent could not resolve it: a person must; the task stays completed, not landed.
    resolutionFailed: enqueueActions(({ context, event, enqueue, system }) => {
      const e = attemptEvent(event);
      enqueue({ type: "record", params: { event: "conflict_resolution_failed", data: { task_id: e.taskId, attempt: e.attempt, reason: e.reason, detail: e.detail } } });
      enqueue.sendParent({
        type: "BLOCK",
        blockers: [{ type: "merge_conflict", task: e.taskId, detail: `task ${e.taskId}: its agent did not resolve the conflict with the milestone branch (${e.detail}); the attempt is in its worktree`, fix: `resolve it in the task's worktree and commit, then milestone-machine retry <id> ${e.taskId} && milestone-machine resume <id>` }],
      });
      settle(context, enqueue, system, e.taskId, true);
    }),
    // The attempt never started (its worktree could not be set up): the task waits, pending,
    // and the root hears of the blocker, which stops the run once running work is done.
    returnBlocked: enqueueActions(({ context, event, enqueue }) => {
      const e = event as Extract<AttemptEvent, { type: "attempt.blocked" }>;
      enqueue({ type: "record", params: { event: "tasks_interrupted", data: { tasks: [{ task_id: e.taskId, attempt: e.attempt }] } } });
      enqueue.sendTo(progressAgent, setStatus(context.rows, e.taskId, "pending"));
      delete context.flights[e.taskId];
      enqueue.assign({ running: context.running.filter((id) => id !== e.taskId), rows: context.rows, flights: context.flights });
      enqueue.sendParent({ type: "BLOCK", blockers: [e.blocker] });
    }),
    startNextAttempt: enqueueActions(({ context, event, enqueue }) => {
      const { taskId } = event as Extract<AttemptEvent, { type: "attempt.due" }>;
      const row = context.rows[taskId];
      const flight = context.flights[taskId];
      row.attempts = flight.attempt = flight.attempt + 1;
      row.retryAt = null;
      flight.startedAt = null;
      startAttempt(enqueue, taskId, flight.attempt);
      enqueue.assign({ rows: context.rows, flights: context.flights });
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
      flights: {},
      draining: false,
      graceUntil: null,
      failFast: input.failFast ?? false,
      stoppedByFailure: false,
      testsAfterTasks: input.testsAfterTasks,
    };
  },
  // Lives as long as the executor: stopping it (the run's end, a crash) stops every process.
  invoke: { id: "attempts", src: "attempts" },
  // What running tasks report is handled alike whether new tasks may start or not (dispatch
  // starts none while draining); an event about an attempt that was stopped is dropped.
  on: {
    "attempt.started": { guard: "isCurrent", actions: "noteSpawned" },
    "attempt.succeeded": [
      { guard: and(["isCurrent", "isResolving"]), actions: ["noteResolved", "awaitCommit"] },
      { guard: and(["isCurrent", "commitsTasks"]), actions: ["noteSucceeded", "awaitCommit"] },
      { guard: "isCurrent", actions: ["noteSucceeded", "settleSucceeded", "dispatch"] },
    ],
    "attempt.failed": [
      { guard: and(["isCurrent", "isResolving"]), actions: ["resolutionFailed", "dispatch"] },
      { guard: and(["isCurrent", "hasAttemptsLeft"]), actions: "retry" },
      { guard: "isCurrent", actions: ["settleFailed", "dispatch"] },
    ],
    "attempt.due": { guard: "isCurrent", actions: "startNextAttempt" },
    "attempt.blocked": { guard: "isCurrent", actions: "returnBlocked" },
    "git.committed": { guard: "isCommitting", actions: ["settleSucceeded", "dispatch"] },
    "git.conflicted": { guard: "isCommitting", actions: "resolveConflict" },
    "executor.stopTasks": { actions: "stopTasks" },
  },
  initial: "running",
  states: {
    running: {
      entry: "dispatch",
      always: { guard: "isIdle", target: "done" },
      on: {
        // --fail-fast: the first task failed for good stops the others.
        "attempt.failed": {
          guard: and(["isCurrent", not("isResolving"), not("hasAttemptsLeft"), "failsFast"]),
          target: "draining",
          actions: ["settleFailed", assign({ draining: true, stoppedByFailure: true }), recordInterrupted, "stopRunning"],
        },
        "executor.replan": { actions: ["replan", "dispatch"] },
        "executor.drain": {
          target: "draining",
          actions: assign(({ event }) => ({ draining: true, graceUntil: event.graceUntil })),
        },
        "executor.stopRunning": { target: "draining", actions: [assign({ draining: true }), recordInterrupted, "stopRunning"] },
      },
    },
    // Nothing new starts; what runs may finish until the grace deadline, then it is stopped.
    draining: {
      // A task waiting out a backoff has nothing running: it waits for the resume, not for its
      // next attempt, which would start after the pause was asked for.
      entry: "stopBackoffs",
      always: { guard: "isIdle", target: "done" },
      on: {
        "attempt.due": { guard: "isCurrent", actions: "stopBackoffs" },
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
  // Drained (a pause) only if a pause left something to do: a run whose last task finished
  // in the grace period is complete.
  output: ({ context }) => ({ drained: context.draining && !context.stoppedByFailure && hasWorkLeft(context.rows), tasks: tableEntries(context.rows) }),
});
