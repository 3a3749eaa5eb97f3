// Formats any error for the terminal once, at the top level. User mistakes get a message and a
// hint; a Deno permission error names the flag to add; only real bugs show a stack.
import { ExitError } from "../errors.ts";
import { EXIT } from "./exit-codes.ts";

export function reportError(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof ExitError) {
    stderr.write(`${error.message}\n`);
    if (error.hint) stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  const name = (error as { name?: string })?.name;
  if (name === "NotCapable" || name === "PermissionDenied") {
    // Deno's message already says which flag grants the access, e.g. "run again with the --allow-read flag".
    stderr.write(`milestone-machine: missing Deno permission: ${(error as Error).message}\n`);
    return EXIT.badInput;
  }
  stderr.write(`milestone-machine: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failed;
}
