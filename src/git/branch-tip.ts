// Small ref look-ups shared by the commit paths: which branch HEAD names and where a branch points.
import fs from "node:fs";
import git from "isomorphic-git";
import type { GitRepo } from "./find-repository.ts";
import { GitError } from "./git-error.ts";

/** The commit `refs/heads/<branch>` points at; null while the branch is unborn (no commit yet). */
export async function branchTip(repo: GitRepo, branch: string): Promise<string | null> {
  return resolveOrNull(repo, `refs/heads/${branch}`);
}

export async function resolveOrNull(repo: GitRepo, ref: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs, gitdir: repo.gitdir, ref });
  } catch (error) {
    if ((error as { code?: string }).code === "NotFoundError") return null;
    throw error;
  }
}

/** The full name of the branch HEAD is on (`refs/heads/…`), or null when HEAD is detached. */
export async function headRef(repo: GitRepo): Promise<string | null> {
  const name = await git.currentBranch({ fs, gitdir: repo.gitdir, fullname: true, test: false });
  return name ?? null;
}

/** The tip of `branch`, after checking that HEAD is on it: committing to a branch HEAD is not on
 *  would leave the index describing one branch and the new commit another. */
export async function tipOfCheckedOut(repo: GitRepo, branch: string): Promise<string | null> {
  const head = await headRef(repo);
  if (head !== `refs/heads/${branch}`) {
    throw new GitError(
      `HEAD is on ${head ?? "a detached commit"}, not on the milestone branch ${branch}`,
      "wrong_branch",
      `switch back with \`git switch ${branch}\` (your working files stay as they are)`,
    );
  }
  return branchTip(repo, branch);
}
