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
  const problem = fileProblem(error);
  if (problem) {
    stderr.write(`${problem.path}: ${problem.what}\n`);
    if (problem.hint) stderr.write(`hint: ${problem.hint}\n`);
    return EXIT.badInput;
  }
  stderr.write(`milestone-machine: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT.failed;
}

// A file or folder the project's layout needs that is not what it must be (a file where a folder
// goes, a read-only folder): the person's to fix, not a bug.
const FILE_PROBLEMS: Record<string, { what: string; hint?: string }> = {
  EEXIST: { what: "is a file, where milestone-machine needs a folder", hint: "move it away (it is not one of milestone-machine's files), then run the command again" },
  ENOTDIR: { what: "a part of this path is a file, where milestone-machine needs a folder", hint: "move that file away, then run the command again" },
  EISDIR: { what: "is a folder, where milestone-machine needs a file", hint: "move it away, then run the command again" },
  EACCES: { what: "cannot be written or read: permission denied", hint: "give your user access to .milestones/ (e.g. chmod -R u+rwX .milestones), then run the command again" },
  EPERM: { what: "cannot be changed: operation not permitted", hint: "give your user access to .milestones/, then run the command again" },
  EROFS: { what: "is on a read-only file system", hint: "run the milestone in a project on a writable file system" },
};

function fileProblem(error: unknown): { path: string; what: string; hint?: string } | null {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  const known = code ? FILE_PROBLEMS[code] : undefined;
  return known && typeof path === "string" ? { path, ...known } : null;
}
