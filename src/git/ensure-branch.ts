// Puts HEAD on the milestone branch, creating the branch at the current commit when it does not
// exist yet. Only HEAD moves: the working files and the index are never touched.
import { branchTip, resolveOrNull } from "./branch-tip.ts";
import type { GitRepo } from "./find-repository.ts";
import { GitError } from "./git-error.ts";
import { serialized } from "./repo-state.ts";
import { writeRef } from "./write-object.ts";

export interface EnsuredBranch {
  branch: string;
  created: boolean;
  /** The commit HEAD was on before the call (where a created branch starts); null if HEAD was unborn. */
  from: string | null;
}

/**
 * @example
 * await ensureBranch(repo, "milestone/auth-v2"); // { branch, created: true, from: "3f2a…" }
 */
export async function ensureBranch(repo: GitRepo, branch: string): Promise<EnsuredBranch> {
  if (!validBranchName(branch)) {
    throw new GitError(`'${branch}' is not a valid branch name`, "bad_branch", "check git.branch_prefix in .milestones/config.yaml");
  }
  return serialized(repo, async () => {
    const ref = `refs/heads/${branch}`;
    const from = await resolveOrNull(repo, "HEAD");
    const existing = await branchTip(repo, branch);
    // A new branch starts at HEAD's commit; with no commit yet (unborn HEAD) there is nothing to
    // point it at, so HEAD simply names the unborn branch and the first commit creates it.
    if (existing === null && from !== null) writeRef(repo, ref, from);
    // Switching to an existing branch also moves only HEAD, even when its tip differs from the
    // old HEAD: the working files are the milestone's work in progress (we are resuming where it
    // stopped), and a checkout would overwrite them with the branch's last committed state.
    writeRef(repo, "HEAD", `ref: ${ref}`);
    return { branch, created: existing === null, from };
  });
}

// git check-ref-format's rules, the ones a configured prefix plus a milestone id could break.
function validBranchName(name: string): boolean {
  if (name === "" || name.startsWith("/") || name.endsWith("/") || name.endsWith(".") || name.endsWith(".lock")) return false;
  if (/\.\.|\/\/|@\{|\/\.|^\.|[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  return name !== "@";
}
