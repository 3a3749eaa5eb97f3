// The program and arguments a task command runs as.
import type { TaskCommand } from "../milestone/plan-types.ts";

/** `shell` runs `sh -c script`; an agent's argv bypasses the shell, so a prompt needs no quoting. */
export function commandLine(command: TaskCommand): { file: string; args: string[] } {
  if (command.kind === "shell") return { file: "sh", args: ["-c", command.script] };
  return { file: command.argv[0], args: command.argv.slice(1) };
}
