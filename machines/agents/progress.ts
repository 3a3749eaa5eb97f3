// The progress agent: keeps the counts of a run and announces progress whenever a task
// finishes, which the event log, the milestone file's `progress:` block and the terminal follow.
import { assign, setup } from "xstate";
import type { TaskChanged } from "./executor.ts";
import type { TaskStatus } from "../../src/milestone/schema.ts";
import { record } from "../provided-later.ts";

export interface ProgressInput {
  /** Status of every task when the run starts. */
  statuses: TaskStatus[];
}

export type ProgressCounts = Record<TaskStatus, number>;

export interface ProgressContext {
  total: number;
  counts: ProgressCounts;
}

const emptyCounts = (): ProgressCounts => ({
  pending: 0,
  in_progress: 0,
  completed: 0,
  failed: 0,
  blocked: 0,
  skipped: 0,
  cancelled: 0,
});

export function countStatuses(statuses: TaskStatus[]): ProgressCounts {
  const counts = emptyCounts();
  for (const s of statuses) counts[s]++;
  return counts;
}

/** The `progress:` block of DESIGN §4, from counts. */
export function progressSummary({ total, counts }: ProgressContext) {
  const done = counts.completed + counts.skipped;
  return {
    percentage: total === 0 ? 100 : Math.floor((done * 100) / total),
    tasks_completed: counts.completed,
    total_tasks: total,
    tasks_failed: counts.failed,
    tasks_running: counts.in_progress,
  };
}

export const progressMachine = setup({
  types: {
    input: {} as ProgressInput,
    context: {} as ProgressContext,
    events: {} as TaskChanged,
  },
  actions: {
    record,
  },
  guards: {
    finishesTask: ({ event }) => event.to === "completed" || event.to === "failed",
  },
}).createMachine({
  id: "progress",
  context: ({ input }) => ({ total: input.statuses.length, counts: countStatuses(input.statuses) }),
  on: {
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
