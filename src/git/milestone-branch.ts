// The milestone's integration branch, `<prefix><id>`: created at the commit the person's checkout
// is on, with the branches of required milestones that are not in it yet merged in. Only the
// branch ref is written: the person's HEAD, index and files are never touched.
import fs from "node:fs";
import path from "node:path";
import type { GitRepo } from "./find-repository.ts";
import { GitError } from "./git-error.ts";
import { mergeTrees } from "./merge-trees.ts";
import { gitLine, runGit } from "./run-git.ts";

export interface MilestoneBranch {
  branch: string;
  created: boolean;
  /** The commit the branch started from (the person's HEAD), or its tip when it existed. */
  from: string;
  /** Where the branch points now (a new one: at `from`, or at the merge of its requirements). */
  tip: string;
  /** Branches of required milestones merged into the new branch's base. */
  merged: string[];
}

export interface BranchRequest {
  branch: string;
  milestoneId: string;
  /** Branches of the milestones this one requires (those that exist are merged in when new). */
  requires: string[];
  /** Author and committer of the commits made here. */
  env: Record<string, string>;
}

/** The commit a ref points at, or null when it does not exist. */
export async function refTip(repo: GitRepo, ref: string): Promise<string | null> {
  const r = await runGit(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: repo.dir, okCodes: [0, 1, 128] });
  return r.code === 0 ? r.stdout.trim() : null;
}

/**
 * @example
 * await ensureMilestoneBranch(repo, { branch: "milestone/auth-v2", milestoneId: "auth-v2", requires: [], env });
 * // { branch: "milestone/auth-v2", created: true, from: "3f2a…", merged: [] }
 */
export async function ensureMilestoneBranch(repo: GitRepo, request: BranchRequest): Promise<MilestoneBranch> {
  const { branch } = request;
  const valid = await runGit(["check-ref-format", `refs/heads/${branch}`], { cwd: repo.dir, okCodes: [0, 1] });
  if (valid.code !== 0) throw new GitError(`'${branch}' is not a valid branch name`, "bad_branch", "check git.branch_prefix in .milestones/config.yaml");
  // Only this milestone's executor moves its branch: a ref lock is a killed git's leftover.
  const refLock = (await runGit(["rev-parse", "--git-path", `refs/heads/${branch}.lock`], { cwd: repo.dir })).stdout.trim();
  fs.rmSync(path.resolve(repo.dir, refLock), { force: true });
  const existing = await refTip(repo, `refs/heads/${branch}`);
  if (existing) return { branch, created: false, from: existing, tip: existing, merged: [] };
  const head = await refTip(repo, "HEAD");
  let base = head ?? (await emptyRoot(repo, request));
  const merged: string[] = [];
  for (const required of request.requires) {
    const tip = await refTip(repo, `refs/heads/${required}`);
    if (!tip || (await isAncestor(repo, tip, base))) continue;
    const merge = await mergeTrees(repo, base, tip);
    if (!merge.clean) {
      throw new GitError(
        `the branch ${required} of a required milestone does not merge into ${head ? "HEAD" : "the new branch"}: ${merge.files.join(", ")} conflict`,
        "merge_conflict",
        `merge ${required} into your branch yourself (git merge ${required}), then run the milestone again`,
        merge.files,
      );
    }
    const message = `Merge ${required} into the base of ${branch}\n\nMilestone: ${request.milestoneId}\n`;
    base = await gitLine(["commit-tree", merge.tree, "-p", base, "-p", tip, "-m", message], { cwd: repo.dir, env: request.env });
    merged.push(required);
  }
  // The empty old value makes git refuse if another process created the branch meanwhile.
  await runGit(["update-ref", "-m", `milestone-machine: start ${branch}`, `refs/heads/${branch}`, base, ""], { cwd: repo.dir });
  return { branch, created: true, from: head ?? base, tip: base, merged };
}

export async function isAncestor(repo: GitRepo, commit: string, of: string): Promise<boolean> {
  return (await runGit(["merge-base", "--is-ancestor", commit, of], { cwd: repo.dir, okCodes: [0, 1] })).code === 0;
}

// A repository without a commit yet: the milestone starts from an empty root commit.
async function emptyRoot(repo: GitRepo, request: BranchRequest): Promise<string> {
  const tree = await gitLine(["mktree"], { cwd: repo.dir, input: "" });
  return gitLine(["commit-tree", tree, "-m", `Start milestone ${request.milestoneId}\n\nMilestone: ${request.milestoneId}\n`], { cwd: repo.dir, env: request.env });
}
