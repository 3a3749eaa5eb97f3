// The one error the git library throws for problems a person can fix (a conflict to resolve, an
// author to configure, a lock left behind). Like every ExitError it is formatted once at the top
// level with its hint; `code` lets the git agent tell the cases apart without parsing messages.
import { EXIT } from "../cli/exit-codes.ts";
import { ExitError } from "../errors.ts";

export type GitErrorCode =
  | "merge_conflict" // a task's changes do not merge onto the milestone branch: kept on its branch
  | "no_author" // neither git.author nor user.name/user.email is configured
  | "no_git" // no git on the PATH
  | "setup_failed" // worktrees.setup failed in a new worktree
  | "bad_path" // a `paths:` glob (or the project directory) outside the work tree
  | "bad_branch" // a branch name git would refuse
  | "git_failed"; // any other git command that failed

export class GitError extends ExitError {
  constructor(
    message: string,
    readonly code: GitErrorCode,
    hint?: string,
    /** The files a merge conflict is about. */
    readonly files: string[] = [],
  ) {
    // Every one of these stops the milestone until someone acts: that is "blocked", not "failed".
    super(message, EXIT.blocked, hint);
  }
}
