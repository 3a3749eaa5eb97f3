// Checked by execute and resume before anything is written: a project inside a git repository
// needs a git that can run its tasks in worktrees; a project outside one needs no git at all
// (and asks none: a Deno run there needs no --allow-run=git).
import { EXIT } from "../cli/exit-codes.ts";
import { ExitError } from "../errors.ts";
import { insideRepository } from "./find-repository.ts";
import { GitError } from "./git-error.ts";
import { checkGitVersion } from "./git-version.ts";

export async function requireGit(projectDir: string): Promise<void> {
  if (!insideRepository(projectDir)) return;
  try {
    await checkGitVersion(projectDir);
  } catch (error) {
    if (!(error instanceof GitError && error.code === "no_git")) throw error;
    throw new ExitError(`${projectDir} is in a git repository, but ${error.message}`, EXIT.badInput, error.hint);
  }
}
