// The prompt for a task that names neither a shell command nor a prompt: everything the file
// says about the task, in the order a person would read it.
import type { TaskFile } from "./schema.ts";

export function taskPrompt(task: Pick<TaskFile, "title" | "description" | "acceptance_criteria">): string {
  const parts = [`Task: ${task.title}`];
  const description = task.description?.trim();
  if (description) parts.push(description);
  if (task.acceptance_criteria?.length) {
    parts.push(["Acceptance criteria:", ...task.acceptance_criteria.map((c) => `- ${c}`)].join("\n"));
  }
  return parts.join("\n\n");
}
