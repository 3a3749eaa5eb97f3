// `retry <id> <task>`: give a failed task a fresh set of attempts on the next resume.
import type { Command } from "../command.ts";
import { overrideTask } from "../task-override.ts";

export const command: Command = {
  name: "retry",
  summary: "give a failed task a fresh set of attempts",
  usage: "retry <id> <task>",
  details: "Refused while an executor runs the milestone (exit 5). Completed tasks never run again.",
  options: {},
  run: (ctx) =>
    overrideTask(ctx, { name: "retry", event: "task_retry_requested", status: "pending", next: (id) => `continue with 'milestone-machine resume ${id}'` }),
};
