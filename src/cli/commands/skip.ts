// `skip <id> <task>`: mark a task skipped, so the tasks that depend on it may run.
import type { Command } from "../command.ts";
import { overrideTask } from "../task-override.ts";

export const command: Command = {
  name: "skip",
  summary: "mark a task skipped so its dependents may run",
  usage: "skip <id> <task>",
  details: "Refused while an executor runs the milestone (exit 5). Completed tasks cannot be skipped.",
  options: {},
  run: (ctx) =>
    overrideTask(ctx, { name: "skip", event: "task_skipped", status: "skipped", next: (id) => `its dependents run on 'milestone-machine resume ${id}'` }),
};
