// The git agent: the only actor that touches the repository (DESIGN §2). Commit requests from
// finished tasks queue in its context and are committed one at a time, in the order the tasks
// finished; between them, a checkpoint commit is due at an absolute deadline. The git work
// itself is done by the `commitTask` and `checkpoint` actors that src/runtime.ts provides.
import { assign, enqueueActions, fromPromise, setup, type ActorSystem } from "xstate";
import type { Blocker } from "../../src/milestone/blockers.ts";
import { errorText } from "../error-text.ts";
import { providedLater, record, waitUntil } from "../provided-later.ts";

export interface GitAgentInput {
  /** How often a checkpoint may commit work in progress; null: never. */
  checkpointIntervalMs: number | null;
}

export interface GitAgentContext extends GitAgentInput {
  /** Ids of finished tasks waiting for their commit, oldest first. */
  queue: string[];
  /** ISO time the next checkpoint is due. */
  checkpointAt: string | null;
}

export interface TaskCommitResult {
  sha: string | null;
  files: string[];
  /** The branch already had this task's commit (a resumed run): nothing new was committed. */
  existing: boolean;
}

export type GitAgentEvent = { type: "git.commitTask"; taskId: string } | { type: "deadline.reached" };

/** What the executor hears back about a task waiting for its commit: it landed (or could not,
 *  and the root hears of the blocker), or its conflict goes to its agent (`on_conflict: agent`). */
export type TaskCommitted = { type: "git.committed"; taskId: string; sha: string | null } | { type: "git.conflicted"; taskId: string; files: string[] };

/** Sent to the root when the repository needs a person (a conflict, a failing commit). */
export type GitBlocked = { type: "BLOCK"; blockers: Blocker[] };

const nextCheckpoint = (context: GitAgentContext) =>
  context.checkpointIntervalMs === null ? null : new Date(Date.now() + context.checkpointIntervalMs).toISOString();

// The executor, which waits for each commit, if it still runs (a stop may have ended it).
const executorOf = (system: ActorSystem<any>) => system.get("executor");

export const gitMachine = setup({
  types: {
    input: {} as GitAgentInput,
    context: {} as GitAgentContext,
    events: {} as GitAgentEvent,
  },
  actions: {
    record,
    enqueue: assign(({ context, event }) => ({ queue: [...context.queue, (event as { taskId: string }).taskId] })),
  },
  actors: {
    commitTask: fromPromise<TaskCommitResult, { taskId: string }>(() => providedLater("the commitTask actor")),
    checkpoint: fromPromise<{ sha: string | null; files: number }, Record<string, never>>(() => providedLater("the checkpoint actor")),
    waitUntil,
  },
  guards: {
    hasQueue: ({ context }) => context.queue.length > 0,
    // src/git marks a conflict its task's agent may resolve (`on_conflict: agent`).
    isResolvable: ({ event }) => (event as { error?: { resolvable?: unknown } }).error?.resolvable === true,
    checkpointsOn: ({ context }) => context.checkpointAt !== null,
  },
}).createMachine({
  id: "git",
  context: ({ input }) => ({ ...input, queue: [], checkpointAt: null }),
  entry: assign(({ context }) => ({ checkpointAt: nextCheckpoint(context) })),
  initial: "idle",
  states: {
    idle: {
      always: { guard: "hasQueue", target: "committing" },
      on: { "git.commitTask": { target: "committing", actions: "enqueue" } },
      initial: "choosing",
      states: {
        choosing: { always: [{ guard: "checkpointsOn", target: "timed" }, { target: "untimed" }] },
        timed: {
          invoke: { id: "checkpointTimer", src: "waitUntil", input: ({ context }) => ({ at: context.checkpointAt! }) },
          on: { "deadline.reached": { target: "#git.checkpointing" } },
        },
        untimed: {},
      },
    },
    committing: {
      on: { "git.commitTask": { actions: "enqueue" } },
      invoke: {
        id: "commit",
        src: "commitTask",
        input: ({ context }) => ({ taskId: context.queue[0] }),
        onDone: {
          target: "idle",
          actions: enqueueActions(({ context, event, enqueue, system }) => {
            const taskId = context.queue[0];
            const { sha, files, existing } = event.output;
            enqueue({
              type: "record",
              params: {
                event: "task_committed",
                data: sha ? { task_id: taskId, sha, files: files.length, existing } : { task_id: taskId, sha: null, reason: "no changes" },
              },
            });
            const executor = executorOf(system);
            const reply: TaskCommitted = { type: "git.committed", taskId, sha };
            if (executor) enqueue.sendTo(executor, reply);
            enqueue.assign({ queue: context.queue.slice(1) });
          }),
        },
        onError: [
          {
            // The task's agent gets the conflict in its worktree (which git work has prepared).
            guard: "isResolvable",
            target: "idle",
            actions: enqueueActions(({ context, event, enqueue, system }) => {
              const taskId = context.queue[0];
              const files = filesOf(event.error);
              enqueue({ type: "record", params: { event: "task_conflict", data: { task_id: taskId, files, to: "agent" } } });
              const executor = executorOf(system);
              const reply: TaskCommitted = { type: "git.conflicted", taskId, files };
              if (executor) enqueue.sendTo(executor, reply);
              enqueue.assign({ queue: context.queue.slice(1) });
            }),
          },
          {
          target: "idle",
          actions: enqueueActions(({ context, event, enqueue, system }) => {
            const taskId = context.queue[0];
            const detail = errorText(event.error);
            enqueue({ type: "record", params: { event: "task_commit_failed", data: { task_id: taskId, detail } } });
            // The task's work is done and logged; its commit is made when the run resumes.
            enqueue.sendParent({
              type: "BLOCK",
              blockers: [{ type: blockerTypeOf(event.error), detail, task: taskId, fix: hintOf(event.error) }],
            } satisfies GitBlocked);
            const executor = executorOf(system);
            const reply: TaskCommitted = { type: "git.committed", taskId, sha: null };
            if (executor) enqueue.sendTo(executor, reply);
            enqueue.assign({ queue: context.queue.slice(1) });
          }),
          },
        ],
      },
    },
    checkpointing: {
      on: { "git.commitTask": { actions: "enqueue" } },
      invoke: {
        id: "checkpoint",
        src: "checkpoint",
        input: () => ({}),
        onDone: {
          target: "idle",
          actions: enqueueActions(({ context, event, enqueue }) => {
            if (event.output.sha) enqueue({ type: "record", params: { event: "auto_commit", data: { sha: event.output.sha, files: event.output.files } } });
            enqueue.assign({ checkpointAt: nextCheckpoint(context) });
          }),
        },
        onError: {
          target: "idle",
          actions: enqueueActions(({ context, event, enqueue }) => {
            enqueue.sendParent({
              type: "BLOCK",
              blockers: [{ type: blockerTypeOf(event.error), detail: errorText(event.error), fix: hintOf(event.error) }],
            } satisfies GitBlocked);
            enqueue.assign({ checkpointAt: nextCheckpoint(context) });
          }),
        },
      },
    },
  },
});

function filesOf(error: unknown): string[] {
  const files = (error as { files?: unknown })?.files;
  return Array.isArray(files) ? files.map(String) : [];
}

// src/git marks what kind of problem an error is; anything else is a plain git error.
function blockerTypeOf(error: unknown): string {
  const type = (error as { blockerType?: unknown })?.blockerType;
  return typeof type === "string" ? type : "git_error";
}

function hintOf(error: unknown): string {
  const hint = (error as { hint?: unknown })?.hint;
  return typeof hint === "string" ? hint : "resolve the conflict with git, then run resume";
}
