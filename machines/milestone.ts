// The milestone lifecycle, the root actor (DESIGN §3):
//   planned → validating → in_progress ⇄ paused | blocked → completing → completed,
//   plus failed, rejected (requirements unmet: nothing was changed) and cancelled.
// The agents are actors started by string name on entering in_progress; every side effect
// (journal, processes, files, signals) is provided by src/runtime.ts.
import { assign, enqueueActions, fromCallback, fromPromise, sendTo, setup } from "xstate";
import { executorMachine, type ExecutorOutput } from "./agents/executor.ts";
import { progressMachine } from "./agents/progress.ts";
import { dependentsOf, type TaskEntry } from "../src/milestone/readiness.ts";
import { providedLater, record } from "./provided-later.ts";

export interface MilestoneInput {
  milestoneId: string;
  sessionId: string;
  tasks: TaskEntry[];
  requires: string[];
  concurrency: number;
  /** Stop running tasks as soon as one fails for good, instead of letting independent work finish. */
  failFast?: boolean;
  backoffMs: number;
}

export interface MilestoneContext extends MilestoneInput {
  /** Ids of tasks that failed for good in the last run. */
  failedTasks: string[];
  /** Milestones whose requirements this one's completion met. */
  enables: string[];
  /** Why the milestone was rejected or failed outside of its tasks. */
  error: string | null;
}

export type MilestoneEvent =
  | { type: "START" }
  /** Start nothing new; running tasks may finish until graceUntil (ISO), then are stopped. */
  | { type: "PAUSE"; reason: string; graceUntil: string }
  /** Stop running tasks now (a second Ctrl-C). */
  | { type: "STOP_NOW" }
  | { type: "RESUME" }
  | { type: "BLOCK"; reason: string }
  | { type: "CANCEL" };

// The executor's done event is not part of MilestoneEvent: XState types it per invoke.
const executorOutput = (event: unknown) => (event as { output: ExecutorOutput }).output;

/** Bumped whenever a change to the charts makes older persisted snapshots unsafe to restore. */
export const MILESTONE_MACHINE_VERSION = 1;

/** States in which an executing process has nothing left to do and exits. */
export const STOP_STATES = ["paused", "blocked", "completed", "failed", "rejected", "cancelled"] as const;
export type StopState = (typeof STOP_STATES)[number];

export const milestoneMachine = setup({
  types: {
    input: {} as MilestoneInput,
    context: {} as MilestoneContext,
    events: {} as MilestoneEvent,
  },
  actions: {
    record,
    keepTasks: assign(({ event }) => {
      const { tasks } = executorOutput(event);
      return { tasks, failedTasks: tasks.filter((t) => t.status === "failed").map((t) => t.id) };
    }),
  },
  actors: {
    checkRequirements: fromPromise<{ unmet: string[] }, { requires: string[] }>(() => providedLater("the checkRequirements actor")),
    executor: executorMachine,
    progress: progressMachine,
    session: fromCallback<{ type: "stop" }, { milestoneId: string; sessionId: string }>(() => providedLater("the session actor")),
    finalize: fromPromise<{ enables: string[] }, { milestoneId: string }>(() => providedLater("the finalize actor")),
  },
  guards: {
    requirementsUnmet: ({ event }) => (event as unknown as { output: { unmet: string[] } }).output.unmet.length > 0,
    wasDrained: ({ event }) => executorOutput(event).drained,
    anyTaskFailed: ({ event }) => executorOutput(event).tasks.some((t) => t.status === "failed" && t.onFailure !== "continue"),
    aFailureBlocks: ({ event }) => executorOutput(event).tasks.some((t) => t.status === "failed" && t.onFailure === "block"),
  },
}).createMachine({
  id: "milestone",
  context: ({ input }) => ({ ...input, failedTasks: [], enables: [], error: null }),
  initial: "planned",
  states: {
    planned: {
      on: { START: "validating", CANCEL: "cancelled" },
    },
    validating: {
      invoke: {
        id: "dependencies",
        systemId: "dependencies",
        src: "checkRequirements",
        input: ({ context }) => ({ requires: context.requires }),
        onDone: [
          {
            guard: "requirementsUnmet",
            target: "rejected",
            actions: assign(({ event }) => ({
              error: `required milestones are not completed: ${event.output.unmet.join(", ")}`,
            })),
          },
          { target: "in_progress" },
        ],
        onError: {
          target: "rejected",
          actions: assign(({ event }) => ({ error: String((event.error as Error)?.message ?? event.error) })),
        },
      },
    },
    in_progress: {
      entry: {
        type: "record",
        params: ({ context }) => ({
          event: "milestone_activated",
          data: { total_tasks: context.tasks.length, concurrency: context.concurrency },
        }),
      },
      invoke: [
        {
          id: "progress",
          systemId: "progress",
          src: "progress",
          input: ({ context }) => ({ statuses: context.tasks.map((t) => t.status) }),
        },
        {
          id: "session",
          systemId: "session",
          src: "session",
          input: ({ context }) => ({ milestoneId: context.milestoneId, sessionId: context.sessionId }),
        },
        {
          id: "executor",
          systemId: "executor",
          src: "executor",
          input: ({ context }) => ({
            tasks: context.tasks,
            concurrency: context.concurrency,
            backoffMs: context.backoffMs,
            failFast: context.failFast ?? false,
          }),
          onDone: [
            { guard: "wasDrained", target: "paused", actions: "keepTasks" },
            {
              guard: "aFailureBlocks",
              target: "blocked",
              actions: [
                "keepTasks",
                enqueueActions(({ context, enqueue }) => {
                  // A failed task needs a person: each is a blocker, its dependents wait.
                  for (const t of context.tasks.filter((t) => t.status === "failed" && t.onFailure === "block")) {
                    enqueue({
                      type: "record",
                      params: { event: "blocker_detected", data: { type: "task_failed", task: t.id, attempts: t.attempts } },
                    });
                  }
                  const blocking = context.tasks.filter((t) => t.status === "failed" && t.onFailure !== "continue").map((t) => t.id);
                  enqueue({ type: "record", params: { event: "tasks_blocked", data: { task_ids: dependentsOf(context.tasks, blocking) } } });
                  enqueue({ type: "record", params: { event: "blockers_escalated", data: { failed_tasks: context.failedTasks } } });
                }),
              ],
            },
            { guard: "anyTaskFailed", target: "failed", actions: "keepTasks" },
            { target: "completing", actions: "keepTasks" },
          ],
        },
      ],
      on: {
        PAUSE: {
          actions: [
            sendTo("executor", ({ event }) => ({ type: "executor.drain" as const, graceUntil: event.graceUntil })),
            { type: "record", params: ({ event }) => ({ event: "milestone_pausing", data: { reason: event.reason, grace_until: event.graceUntil } }) },
          ],
        },
        STOP_NOW: { actions: sendTo("executor", { type: "executor.stopRunning" }) },
        BLOCK: {
          target: "blocked",
          actions: {
            type: "record",
            params: ({ event }) => ({ event: "blocker_detected", data: { type: "external", detail: event.reason } }),
          },
        },
      },
    },
    paused: {
      entry: {
        type: "record",
        params: ({ context }) => ({
          event: "milestone_paused",
          data: { pending_tasks: context.tasks.filter((t) => t.status !== "completed" && t.status !== "skipped").length },
        }),
      },
      on: { RESUME: "in_progress", CANCEL: "cancelled" },
    },
    blocked: {
      entry: {
        type: "record",
        params: ({ context }) => ({ event: "milestone_blocked", data: { failed_tasks: context.failedTasks } }),
      },
      on: { RESUME: "in_progress", CANCEL: "cancelled" },
    },
    completing: {
      invoke: {
        id: "finalize",
        src: "finalize",
        input: ({ context }) => ({ milestoneId: context.milestoneId }),
        onDone: {
          target: "completed",
          actions: assign(({ event }) => ({ enables: event.output.enables })),
        },
        onError: {
          target: "failed",
          actions: assign(({ event }) => ({ error: `could not complete: ${(event.error as Error)?.message ?? event.error}` })),
        },
      },
    },
    completed: {
      type: "final",
      entry: {
        type: "record",
        params: ({ context }) => ({
          event: "milestone_completed",
          data: { total_tasks: context.tasks.length, enables: context.enables, failed_tasks: context.failedTasks },
        }),
      },
    },
    failed: {
      type: "final",
      entry: {
        type: "record",
        params: ({ context }) => ({
          event: "milestone_failed",
          data: { failed_tasks: context.failedTasks, error: context.error },
        }),
      },
    },
    rejected: { type: "final" },
    cancelled: {
      type: "final",
      entry: { type: "record", params: () => ({ event: "milestone_cancelled", data: {} }) },
    },
  },
});
