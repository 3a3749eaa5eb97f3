// The milestone lifecycle, the root actor (DESIGN §3):
//   planned → validating → in_progress ⇄ paused | blocked → completing → completed,
//   plus failed, rejected (requirements unmet: nothing was changed) and cancelled.
// The agents are actors started by string name on entering in_progress; every side effect
// (journal, processes, files, signals) is provided by src/runtime.ts.
import { assign, enqueueActions, fromCallback, fromPromise, sendTo, setup } from "xstate";
import { executorMachine, type ExecutorOutput } from "./agents/executor.ts";
import { progressMachine } from "./agents/progress.ts";
import { gitMachine, type GitAgentInput } from "./agents/git.ts";
import { blockersMachine, type BlockersAgentInput } from "./agents/blockers.ts";
import { dependentsOf, type TaskEntry } from "../src/milestone/readiness.ts";
import { newBlockers, recheckBlockers, toEntry, type Blocker, type BlockerEntry } from "../src/milestone/blockers.ts";
import type { JournalEntry } from "./journal-entry.ts";
import { errorText } from "./error-text.ts";
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
  /** Blockers recorded by an earlier run and not cleared since. */
  blockers: BlockerEntry[];
  checks: BlockersAgentInput;
  git: GitAgentInput;
}

/** What the preflight check before every start or resume found. */
export interface PreflightOutput {
  /** Blockers found now (probes and the repository): those recorded before and not found again are cleared. */
  found: Blocker[];
  /** Commits made for tasks that completed in an earlier run but whose commit was never made. */
  commits: Array<{ task_id: string; sha: string | null; files: number; existing: boolean }>;
}

export type PublishOutput = { pushed: false; reason: "off" } | { pushed: true; remote: string; branch: string; sha: string } | { pushed: false; reason: "failed"; blocker: Blocker };

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
  /** Something needs a person: start nothing new, let running work finish, then block. */
  | { type: "BLOCK"; blockers: Blocker[] }
  /** The milestone file was edited and the edit is valid: `tasks` is the task list from now on. */
  | { type: "PLAN_UPDATED"; tasks: TaskEntry[]; added: string[]; changed: string[]; removed: string[]; ignored: Array<{ taskId: string; reason: string }> }
  /** The milestone file was edited and the edit is not valid: the run goes on with the plan it has. */
  | { type: "PLAN_INVALID"; problems: string[] }
  | { type: "CANCEL" };

// The executor's done event is not part of MilestoneEvent: XState types it per invoke.
const executorOutput = (event: unknown) => (event as { output: ExecutorOutput }).output;

/** Bumped whenever a change to the charts makes older persisted snapshots unsafe to restore. */
export const MILESTONE_MACHINE_VERSION = 2;

/** States in which an executing process has nothing left to do and exits. */
export const STOP_STATES = ["paused", "blocked", "completed", "failed", "rejected", "cancelled"] as const;
export type StopState = (typeof STOP_STATES)[number];

const detected = (b: Blocker): JournalEntry => ({ event: "blocker_detected", data: { type: b.type, task: b.task ?? null, detail: b.detail, fix: b.fix ?? null } });

export const milestoneMachine = setup({
  types: {
    input: {} as MilestoneInput,
    context: {} as MilestoneContext,
    events: {} as MilestoneEvent,
  },
  actions: {
    record,
    addBlockers: enqueueActions(({ context, event, enqueue }) => {
      const fresh = newBlockers(context.blockers, (event as { blockers: Blocker[] }).blockers);
      if (fresh.length === 0) return;
      const at = new Date().toISOString();
      for (const b of fresh) enqueue({ type: "record", params: detected(b) });
      enqueue.assign({ blockers: [...context.blockers, ...fresh.map((b) => toEntry(b, at))] });
      enqueue.sendTo("executor", { type: "executor.drain", graceUntil: null });
      // A task that ran away would hold the run forever: it stops now, the rest may finish.
      const runaway = fresh.filter((b) => b.type === "task_running_long" && b.task).map((b) => b.task!);
      if (runaway.length) enqueue.sendTo("executor", { type: "executor.stopTasks", taskIds: runaway });
    }),
    applyPreflight: enqueueActions(({ context, event, enqueue }) => {
      const { found, commits } = (event as unknown as { output: PreflightOutput }).output;
      for (const c of commits) {
        enqueue({
          type: "record",
          params: { event: "task_committed", data: c.sha ? { task_id: c.task_id, sha: c.sha, files: c.files, existing: c.existing, recovered: true } : { task_id: c.task_id, sha: null, reason: "no changes", recovered: true } },
        });
      }
      const { kept, cleared, added } = recheckBlockers(context.blockers, found);
      for (const b of cleared) enqueue({ type: "record", params: { event: "blocker_cleared", data: { type: b.type, task: b.task } } });
      for (const b of added) enqueue({ type: "record", params: detected(b) });
      const at = new Date().toISOString();
      enqueue.assign({ blockers: [...kept, ...added.map((b) => toEntry(b, at))] });
    }),
    blockOnPush: enqueueActions(({ context, event, enqueue }) => {
      const output = (event as unknown as { output: PublishOutput }).output;
      if (output.pushed || output.reason !== "failed") return;
      enqueue({ type: "record", params: { event: "push_failed", data: { detail: output.blocker.detail } } });
      enqueue({ type: "record", params: detected(output.blocker) });
      enqueue.assign({ blockers: [...context.blockers, toEntry(output.blocker, new Date().toISOString())] });
    }),
    // Each task that failed for good and blocks is a blocker of its own; its dependents wait.
    blockOnFailures: enqueueActions(({ context, enqueue }) => {
      const failed = context.tasks.filter((t) => t.status === "failed" && t.onFailure === "block");
      if (failed.length === 0) return;
      const at = new Date().toISOString();
      const blockers = failed.map((t) => ({ type: "task_failed", detail: `task ${t.id} failed after ${t.attempts} attempt(s)`, task: t.id }));
      const fresh = newBlockers(context.blockers, blockers);
      for (const b of fresh) {
        const t = failed.find((f) => f.id === b.task)!;
        enqueue({ type: "record", params: { event: "blocker_detected", data: { type: "task_failed", task: t.id, attempts: t.attempts } } });
      }
      enqueue.assign({ blockers: [...context.blockers, ...fresh.map((b) => toEntry(b, at))] });
      const blocking = context.tasks.filter((t) => t.status === "failed" && t.onFailure !== "continue").map((t) => t.id);
      enqueue({ type: "record", params: { event: "tasks_blocked", data: { task_ids: dependentsOf(context.tasks, blocking) } } });
    }),
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
    preflight: fromPromise<PreflightOutput, { blockers: BlockerEntry[] }>(() => providedLater("the preflight actor")),
    publish: fromPromise<PublishOutput, { milestoneId: string }>(() => providedLater("the publish actor")),
    git: gitMachine,
    blockers: blockersMachine,
  },
  guards: {
    hasBlockers: ({ context }) => context.blockers.length > 0,
    stillBlocked: ({ context, event }) => {
      const { kept, added } = recheckBlockers(context.blockers, (event as unknown as { output: PreflightOutput }).output.found);
      return kept.length + added.length > 0;
    },
    pushFailed: ({ event }) => {
      const output = (event as unknown as { output: PublishOutput }).output;
      return !output.pushed && output.reason === "failed";
    },
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
          { target: "preparing" },
        ],
        onError: {
          target: "rejected",
          actions: assign(({ event }) => ({ error: errorText(event.error) })),
        },
      },
    },
    // Before every start and resume: the repository and the probes. Blockers recorded earlier
    // and not found again are cleared; a task completed but never committed gets its commit.
    preparing: {
      invoke: {
        id: "preflight",
        src: "preflight",
        input: ({ context }) => ({ blockers: context.blockers }),
        onDone: [
          { guard: "stillBlocked", target: "blocked", actions: "applyPreflight" },
          { target: "in_progress", actions: "applyPreflight" },
        ],
        onError: {
          target: "failed",
          actions: assign(({ event }) => ({ error: errorText(event.error) })),
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
        { id: "git", systemId: "git", src: "git", input: ({ context }) => context.git },
        { id: "blockers", systemId: "blockers", src: "blockers", input: ({ context }) => context.checks },
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
            testsAfterTasks: context.checks.testOn === "task",
          }),
          onDone: [
            // A task that failed for good while the run drained for another blocker blocks too.
            { guard: "hasBlockers", target: "blocked", actions: ["keepTasks", "blockOnFailures"] },
            { guard: "wasDrained", target: "paused", actions: "keepTasks" },
            {
              guard: "aFailureBlocks",
              target: "blocked",
              actions: ["keepTasks", "blockOnFailures"],
            },
            { guard: "anyTaskFailed", target: "failed", actions: "keepTasks" },
            { target: "publishing", actions: "keepTasks" },
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
        BLOCK: { actions: "addBlockers" },
        PLAN_UPDATED: {
          actions: [
            { type: "record", params: ({ event }) => ({ event: "plan_updated", data: { added: event.added, changed: event.changed, removed: event.removed, ignored: event.ignored } }) },
            enqueueActions(({ context, enqueue }) => {
              const invalid = context.blockers.filter((b) => b.type === "plan_invalid");
              if (invalid.length === 0) return;
              enqueue({ type: "record", params: { event: "blocker_cleared", data: { type: "plan_invalid", task: null } } });
              enqueue.assign({ blockers: context.blockers.filter((b) => b.type !== "plan_invalid") });
            }),
            sendTo("executor", ({ event }) => ({ type: "executor.replan" as const, tasks: event.tasks })),
          ],
        },
        // Recorded, not escalated: the run goes on, and ends blocked unless a valid edit follows.
        PLAN_INVALID: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const detail = event.problems.join("; ");
            const current = context.blockers.find((b) => b.type === "plan_invalid");
            if (current?.detail === detail) return;
            const blocker: Blocker = { type: "plan_invalid", detail, fix: "fix the milestone file; the run applies it as soon as it is valid" };
            enqueue({ type: "record", params: detected(blocker) });
            enqueue.assign({ blockers: [...context.blockers.filter((b) => b.type !== "plan_invalid"), toEntry(blocker, new Date().toISOString())] });
          }),
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
      on: { RESUME: "preparing", CANCEL: "cancelled" },
    },
    blocked: {
      entry: [
        { type: "record", params: ({ context }) => ({ event: "blockers_escalated", data: { failed_tasks: context.failedTasks, blockers: context.blockers } }) },
        { type: "record", params: ({ context }) => ({ event: "milestone_blocked", data: { failed_tasks: context.failedTasks, blockers: context.blockers.map((b) => b.type) } }) },
      ],
      on: { RESUME: "preparing", CANCEL: "cancelled" },
    },
    // The milestone branch goes to the remote before the milestone counts as completed: a
    // rejected push needs a person, and resume tries again.
    publishing: {
      invoke: {
        id: "publish",
        src: "publish",
        input: ({ context }) => ({ milestoneId: context.milestoneId }),
        onDone: [
          { guard: "pushFailed", target: "blocked", actions: "blockOnPush" },
          {
            target: "completing",
            actions: enqueueActions(({ event, enqueue }) => {
              const o = event.output;
              if (o.pushed) enqueue({ type: "record", params: { event: "branch_pushed", data: { remote: o.remote, branch: o.branch, sha: o.sha } } });
            }),
          },
        ],
        onError: {
          target: "blocked",
          actions: enqueueActions(({ context, event, enqueue }) => {
            const blocker: Blocker = { type: "push_failed", detail: errorText(event.error), fix: "check the remote and the credentials, then run resume" };
            enqueue({ type: "record", params: detected(blocker) });
            enqueue.assign({ blockers: [...context.blockers, toEntry(blocker, new Date().toISOString())] });
          }),
        },
      },
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
          actions: assign(({ event }) => ({ error: `could not complete: ${errorText(event.error)}` })),
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
