// The progress agent: keeps the counts of a run and announces progress whenever a task
// finishes, which the event log, the milestone file's `progress:` block and the terminal follow.
import { assign, setup } from "xstate";
import type { TaskChanged, TasksReplanned } from "./executor.ts";
import type { TaskStatus } from "../../src/milestone/schema.ts";
import { record } from "../provided-later.ts";
import { countStatuses, progressSummary, type ProgressCounts, type ProgressTally } from "../../src/milestone/progress.ts";

export interface ProgressInput {
  /** Status of every task when the run starts. */
  statuses: TaskStatus[];
}

export type ProgressContext = ProgressTally;

export const progressMachine = setup({
  types: {
    input: {} as ProgressInput,
    context: {} as ProgressContext,
    events: {} as TaskChanged | TasksReplanned,
  },
  actions: {
    record,
  },
  guards: {
    finishesTask: ({ event }) => (event as TaskChanged).to === "completed" || (event as TaskChanged).to === "failed",
  },
}).createMachine({
  id: "progress",
  context: ({ input }) => ({ total: input.statuses.length, counts: countStatuses(input.statuses) }),
  on: {
    "tasks.replanned": {
      actions: [
        assign(({ event }) => ({ total: event.statuses.length, counts: countStatuses(event.statuses) })),
        { type: "record", params: ({ context }) => ({ event: "progress_updated", data: progressSummary(context) }) },
      ],
    },
    "task.changed": [
      {
        guard: "finishesTask",
        actions: [
          assign(({ context, event }) => ({ counts: recount(context.counts, event) })),
          { type: "record", params: ({ context }) => ({ event: "progress_updated", data: progressSummary(context) }) },
        ],
      },
      { actions: assign(({ context, event }) => ({ counts: recount(context.counts, event) })) },
    ],
  },
});

function recount(counts: ProgressCounts, { from, to }: TaskChanged): ProgressCounts {
  return { ...counts, [from]: counts[from] - 1, [to]: counts[to] + 1 };
}
