// One task's attempts: running → succeeded | retrying → running … | failed.
// The process itself is the `runAttempt` actor (src/exec); waiting out a backoff is the
// `waitUntil` actor (src/runtime) fed an absolute deadline stored in context, so a restored
// snapshot knows exactly how long is left (DESIGN §6.3).
import { assign, fromCallback, sendParent, sendTo, setup } from "xstate";
import { providedLater, record, waitUntil } from "./provided-later.ts";
import type { GitAgentEvent, TaskCommitted } from "./agents/git.ts";

export interface TaskInput {
  taskId: string;
  /** Number of the first attempt this actor makes (attempt numbers continue across resumes). */
  attempt: number;
  /** Last attempt number allowed: first attempt + retries. */
  lastAttempt: number;
  /** Backoff before the second attempt; doubles after each further failure. */
  backoffMs: number;
  /** Set when resuming a task that was waiting out a backoff: wait until then first. */
  retryAt?: string | null;
}

export interface TaskContext extends TaskInput {
  pid: number | null;
  /** ISO time after which the running attempt is stopped, or null for no timeout. */
  deadline: string | null;
  startedAt: string | null;
  /** ISO time the next attempt starts, while retrying. */
  retryAt: string | null;
  lastFailure: string | null;
}

export type AttemptEvent =
  | { type: "attempt.started"; pid: number; pgid: number; at: string; deadline: string | null; log: string }
  | { type: "attempt.succeeded"; at: string }
  | { type: "attempt.failed"; at: string; reason: string; detail: string };

export type TaskEvent = AttemptEvent | { type: "deadline.reached" } | TaskCommitted;

/** What the task reports to the executor when it is done for good. */
export type TaskSettled = { type: "task.settled"; taskId: string; ok: boolean; attempts: number };
/** A retry's attempt starting (the first attempt is the executor's own doing). */
export type TaskStarted = { type: "task.started"; taskId: string; attempt: number };
/** A task waiting out a backoff: the executor keeps the time so a pause or crash loses none of it. */
export type TaskRetrying = { type: "task.retrying"; taskId: string; retryAt: string };
/** The task's work is done and logged; it waits for its commit. */
export type TaskCommitting = { type: "task.committing"; taskId: string; attempts: number };

const MAX_BACKOFF_MS = 5 * 60_000;

export const taskMachine = setup({
  types: {
    input: {} as TaskInput,
    context: {} as TaskContext,
    events: {} as TaskEvent,
  },
  actions: {
    record,
  },
  actors: {
    runAttempt: fromCallback<{ type: "stop" }, { taskId: string; attempt: number }>(() => providedLater("the runAttempt actor")),
    waitUntil,
  },
  guards: {
    // Provided by src/runtime.ts: true when the run commits each task (a git work tree, no --no-git).
    commitsTasks: () => false,
    hasAttemptsLeft: ({ context }) => context.attempt < context.lastAttempt,
    isWaitingForRetry: ({ context }) => context.retryAt !== null,
  },
}).createMachine({
  id: "task",
  context: ({ input }) => ({
    ...input,
    pid: null,
    deadline: null,
    startedAt: null,
    retryAt: input.retryAt ?? null,
    lastFailure: null,
  }),
  initial: "starting",
  states: {
    starting: {
      always: [{ guard: "isWaitingForRetry", target: "retrying" }, { target: "running" }],
    },
    running: {
      // Intent first: task_started is in the log before the process exists, so a crash can
      // never leave a task's side effects without a record that it was started.
      entry: [
        {
          type: "record",
          params: ({ context }) => ({ event: "task_started", data: { task_id: context.taskId, attempt: context.attempt } }),
        },
      ],
      invoke: {
        id: "attempt",
        src: "runAttempt",
        input: ({ context }) => ({ taskId: context.taskId, attempt: context.attempt }),
      },
      on: {
        "attempt.started": {
          actions: [
            assign(({ event }) => ({ pid: event.pid, deadline: event.deadline, startedAt: event.at })),
            {
              type: "record",
              params: ({ context, event }) => ({
                event: "task_spawned",
                data: {
                  task_id: context.taskId,
                  attempt: context.attempt,
                  pid: event.pid,
                  pgid: event.pgid,
                  deadline: event.deadline,
                  log: event.log,
                },
              }),
            },
          ],
        },
        "attempt.succeeded": {
          target: "done",
          actions: {
            type: "record",
            params: ({ context, event }) => ({
              event: "task_completed",
              data: {
                task_id: context.taskId,
                attempt: context.attempt,
                duration_ms: context.startedAt ? Date.parse(event.at) - Date.parse(context.startedAt) : null,
              },
            }),
          },
        },
        "attempt.failed": [
          {
            guard: "hasAttemptsLeft",
            target: "retrying",
            actions: [
              assign(({ context, event }) => ({
                lastFailure: event.detail,
                retryAt: new Date(
                  Date.parse(event.at) + Math.min(context.backoffMs * 2 ** (context.attempt - 1), MAX_BACKOFF_MS),
                ).toISOString(),
              })),
              {
                type: "record",
                params: ({ context, event }) => ({
                  event: "task_retrying",
                  data: {
                    task_id: context.taskId,
                    attempt: context.attempt,
                    reason: event.reason,
                    detail: event.detail,
                    next_attempt: context.attempt + 1,
                    retry_at: context.retryAt,
                  },
                }),
              },
            ],
          },
          {
            target: "failed",
            actions: [
              assign(({ event }) => ({ lastFailure: event.detail })),
              {
                type: "record",
                params: ({ context, event }) => ({
                  event: "task_failed",
                  data: { task_id: context.taskId, attempt: context.attempt, reason: event.reason, detail: event.detail },
                }),
              },
            ],
          },
        ],
      },
    },
    retrying: {
      entry: sendParent(({ context }): TaskRetrying => ({ type: "task.retrying", taskId: context.taskId, retryAt: context.retryAt! })),
      invoke: { id: "backoff", src: "waitUntil", input: ({ context }) => ({ at: context.retryAt! }) },
      on: {
        // The executor counts a task's first attempt itself when it spawns the actor; a later
        // one it hears of here (one event fewer per task for the executor).
        "deadline.reached": {
          target: "running",
          actions: [
            assign(({ context }) => ({ attempt: context.attempt + 1, retryAt: null, pid: null, deadline: null })),
            sendParent(({ context }): TaskStarted => ({ type: "task.started", taskId: context.taskId, attempt: context.attempt })),
          ],
        },
      },
    },
    // Logged as completed: from here on a stop or crash never runs the task again.
    done: {
      always: [{ guard: "commitsTasks", target: "committing" }, { target: "succeeded" }],
    },
    committing: {
      entry: [
        sendParent(({ context }): TaskCommitting => ({ type: "task.committing", taskId: context.taskId, attempts: context.attempt })),
        sendTo(({ system }) => system.get("git"), ({ context }): GitAgentEvent => ({ type: "git.commitTask", taskId: context.taskId })),
      ],
      on: { "git.committed": "succeeded" },
    },
    // Not final states: the executor stops the actor when task.settled arrives. A final state
    // would also send the executor an `xstate.done.actor.task:<id>` event nobody handles: one more
    // macrostep per task, and, as each task's event type is new, one more entry in the
    // transition cache XState keeps per event type (10,000 of them in a 10,000-task run).
    succeeded: {
      entry: sendParent(({ context }): TaskSettled => ({
        type: "task.settled",
        taskId: context.taskId,
        ok: true,
        attempts: context.attempt,
      })),
    },
    failed: {
      entry: sendParent(({ context }): TaskSettled => ({
        type: "task.settled",
        taskId: context.taskId,
        ok: false,
        attempts: context.attempt,
      })),
    },
  },
});
