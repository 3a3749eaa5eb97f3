// Errors are values with a location and a hint, thrown where found and formatted once by the
// CLI's top level (src/cli.ts). None of them is a bug: a user never sees a stack trace for these.
import { EXIT } from "./cli/exit-codes.ts";

/** One problem in an input file, pointing at the offending node. Lines and columns are 1-based. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

/** Base class: a message for the user and the process exit code it implies. */
export class ExitError extends Error {
  constructor(message: string, readonly exitCode: number, readonly hint?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command-line usage: unknown flag, missing argument. */
export class UsageError extends ExitError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.badInput, hint);
  }
}

/** One or more problems in input files; every problem of a file is reported at once. */
export class InputError extends ExitError {
  constructor(readonly problems: Problem[], hint?: string) {
    super(problems.map(formatProblem).join("\n"), EXIT.badInput, hint);
  }
}
