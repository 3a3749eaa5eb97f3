// Checked by execute and resume before anything is written: a project inside a git repository
// needs a git that can run its tasks in worktrees; a project outside one needs no git at all.
import fs from "node:fs";
import path from "node:path";
import { EXIT } from "../cli/exit-codes.ts";
import { ExitError } from "../errors.ts";
import { GitError } from "./git-error.ts";
import { checkGitVersion } from "./git-version.ts";

export async function requireGit(projectDir: string): Promise<void> {
  try {
    await checkGitVersion(projectDir);
  } catch (error) {
    if (!(error instanceof GitError && error.code === "no_git")) throw error;
    // No git on the PATH: fine outside a repository, where the run uses none.
    if (insideRepository(projectDir)) throw new ExitError(`${projectDir} is in a git repository, but ${error.message}`, EXIT.badInput, error.hint);
  }
}

// Without git to ask, a `.git` in the folder or above it is what says "repository".
function insideRepository(dir: string): boolean {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, ".git"))) return true;
    if (path.dirname(at) === at) return false;
  }
}
