// The executor agent: holds every task's status as plain data and spawns a task actor only for
// a task that is running, at most `concurrency` at once (DESIGN §3: XState's spawn cost grows
// with the number of children, so never one actor per task up front).
import { assign, enqueueActions, setup, type ActorSystem } from "xstate";
import { taskMachine, type TaskSettled, type TaskStarted } from "../task.ts";
import { buildTaskTable, completeTask, tableEntries, type TaskEntry, type TaskRow } from "../../src/milestone/readiness.ts";
import type { TaskStatus } from "../../src/milestone/schema.ts";

export interface ExecutorInput {
  tasks: TaskEntry[];
  concurrency: number;
  backoffMs: number;
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
}

export interface ExecutorOutput {
  /** True when the run stopped because it was asked to drain (pause), not because work ran out. */
  drained: boolean;
  tasks: TaskEntry[];
}

export type ExecutorEvent = TaskStarted | TaskSettled | { type: "executor.drain" };

/** What the progress agent hears about every change of a task's status. */
export type TaskChanged = { type: "task.changed"; taskId: string; from: TaskStatus; to: TaskStatus };

export const taskActorId = (taskId: string) => `task:${taskId}`;

/** Sets a task's status in place and returns the change for the progress agent. */
function setStatus(rows: Record<string, TaskRow>, id: string, status: TaskStatus, attempts?: number): TaskChanged {
  const from = rows[id].status;
  rows[id].status = status;
  if (attempts !== undefined) rows[id].attempts = attempts;
  return { type: "task.changed", taskId: id, from, to: status };
}

const progressAgent = ({ system }: { system: ActorSystem<any> }) => system.get("progress");

export const executorMachine = setup({
  types: {
    input: {} as ExecutorInput,
    context: {} as ExecutorContext,
    events: {} as ExecutorEvent,
    output: {} as ExecutorOutput,
  },
  actors: { task: taskMachine },
  guards: {
    isIdle: ({ context }) => context.running.length === 0 && (context.ready.length === 0 || context.draining),
  },
  actions: {
    dispatch: enqueueActions(({ context, enqueue }) => {
      if (context.draining) return;
      const free = context.concurrency - context.running.length;
      if (free <= 0 || context.ready.length === 0) return;
      const starting = context.ready.splice(0, free);
      context.running.push(...starting);
      for (const id of starting) {
        const row = context.rows[id];
        enqueue.sendTo(progressAgent, setStatus(context.rows, id, "in_progress"));
        enqueue.spawnChild("task", {
          id: taskActorId(id),
          input: {
            taskId: id,
            attempt: row.attempts + 1,
            lastAttempt: row.attempts + 1 + row.retries,
            backoffMs: context.backoffMs,
          },
        });
      }
      enqueue.assign({ ready: context.ready, running: context.running, rows: context.rows });
    }),
  },
}).createMachine({
  id: "executor",
  context: ({ input }) => {
    const { rows, ready } = buildTaskTable(input.tasks);
    return { concurrency: input.concurrency, backoffMs: input.backoffMs, rows, ready, running: [], draining: false };
  },
  initial: "running",
  states: {
    running: {
      entry: "dispatch",
      always: { guard: "isIdle", target: "done" },
      on: {
        "task.started": {
          actions: assign(({ context, event }) => {
            context.rows[event.taskId].attempts = event.attempt;
            return { rows: context.rows };
          }),
        },
        "task.settled": {
          actions: [
            enqueueActions(({ context, event, enqueue }) => {
              enqueue.stopChild(taskActorId(event.taskId));
              enqueue.sendTo(progressAgent, setStatus(context.rows, event.taskId, event.ok ? "completed" : "failed", event.attempts));
              const running = context.running.filter((id) => id !== event.taskId);
              if (event.ok) context.ready.push(...completeTask(context.rows, event.taskId));
              enqueue.assign({ rows: context.rows, ready: context.ready, running });
            }),
            "dispatch",
          ],
        },
        "executor.drain": {
          actions: enqueueActions(({ context, enqueue }) => {
            // Stopping a task actor stops its attempt actor, whose cleanup stops the process
            // group; the task is pending again and runs anew on resume.
            for (const id of context.running) {
              enqueue.stopChild(taskActorId(id));
              enqueue.sendTo(progressAgent, setStatus(context.rows, id, "pending"));
            }
            enqueue.assign({ draining: true, running: [], rows: context.rows });
          }),
        },
      },
    },
    done: { type: "final" },
  },
  output: ({ context }) => ({ drained: context.draining, tasks: tableEntries(context.rows) }),
});
