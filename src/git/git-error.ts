// The one error the git library throws for problems a person can fix (a conflict to resolve, an
// author to configure, a lock left behind). Like every ExitError it is formatted once at the top
// level with its hint; `code` lets the git agent tell the cases apart without parsing messages.
import { EXIT } from "../cli/exit-codes.ts";
import { ExitError } from "../errors.ts";
import type { Conflict } from "./find-conflicts.ts";

export type GitErrorCode =
  | "conflict" // never commit over conflicts: the milestone blocks until a person resolves them
  | "no_author" // neither git.author nor user.name/user.email is configured
  | "wrong_branch" // HEAD is not on the milestone branch the commit was meant for
  | "locked" // .git/index.lock exists: another git process, or a crashed one
  | "unsupported" // a repository layout isomorphic-git or this library cannot handle
  | "bad_path" // a `paths:` glob (or the project directory) outside the work tree
  | "bad_branch"; // a branch name git would refuse

export class GitError extends ExitError {
  constructor(
    message: string,
    readonly code: GitErrorCode,
    hint?: string,
    readonly conflicts: Conflict[] = [],
  ) {
    // Every one of these stops the milestone until someone acts: that is "blocked", not "failed".
    super(message, EXIT.blocked, hint);
  }
}
