// A finished task's work lands on the milestone branch: what it changed in its worktree (within
// its `paths:`) is committed on its task branch, then merged onto the milestone branch as one
// commit, without a checkout: a fast-forward when nothing landed since the task started and the
// task branch holds just that commit, else a three-way merge of trees (`git merge-tree`) and a
// new commit on the tip. The branch moves with `update-ref <new> <old>`, which fails if it moved.
import path from "node:path";
import { filesWithMarkers } from "./conflict-prompt.ts";
import type { GitRepo } from "./find-repository.ts";
import { GitError } from "./git-error.ts";
import { mergeTrees } from "./merge-trees.ts";
import { gitLine, runGit } from "./run-git.ts";
import { readTextOrNull } from "../store/read-text.ts";

export interface LandRequest {
  /** The task's worktree, on its task branch. */
  worktree: string;
  /** The commit the task started from; null: unknown (found from an earlier run), asked of git. */
  base: string | null;
  /** `refs/heads/milestone/<id>` and where it points now. */
  milestoneRef: string;
  tip: string;
  message: string;
  pathspecs: string[];
  /** Author and committer. */
  env: Record<string, string>;
  /** The milestone branch was merged into the worktree and these files conflicted (its agent
   *  resolved them): the task's commit concludes that merge, unless a marker is left. */
  resolved?: string[];
  /** Called once the task's commit exists, and just before the milestone branch moves (the
   *  crash harness's points). */
  committed?: () => void;
  merging?: () => void;
}

export interface Landed {
  /** The commit on the milestone branch; null when the task changed nothing. */
  sha: string | null;
  /** The task's own commit on its branch (null when it changed nothing). */
  taskCommit: string | null;
  /** Files the engine committed for the task. */
  files: string[];
  /** Commits the task (its agent, or checkpoints) made on its branch before the engine's. */
  earlierCommits: number;
  fastForward: boolean;
  /** Where the worktree's HEAD is now. */
  head: string | null;
}

/** Throws GitError "merge_conflict" with the files when the task's work does not merge. */
export async function landTask(repo: GitRepo, request: LandRequest): Promise<Landed> {
  const at = { cwd: request.worktree, env: request.env };
  const { files, unmerged, head: before } = await worktreeState(request.worktree, request.pathspecs);
  // Never commit a conflict marker: files git left unmerged must have been resolved first.
  const marked = filesWithMarkers((file) => readTextOrNull(path.join(request.worktree, file)), [...new Set([...unmerged, ...(request.resolved ?? [])])]);
  if (marked.length || (unmerged.length && !request.resolved)) {
    const left = marked.length ? marked : unmerged;
    const error = new GitError(`${left.join(", ")} still ${left.length === 1 ? "has" : "have"} unresolved conflicts in the task's worktree`, "merge_conflict", undefined, left);
    throw Object.assign(error, { unresolved: true });
  }
  const merging = request.resolved !== undefined;
  // Nothing changed and nothing committed: nothing to land (one git process for such a task).
  if (files.length === 0 && !merging && request.base !== null && before === request.base) {
    return { sha: null, taskCommit: null, files: [], earlierCommits: 0, fastForward: false, head: before };
  }
  if (files.length > 0 || merging) {
    await runGit(["add", "--all", "--", ...request.pathspecs], at);
    // The task's verify step is its check: the person's commit hooks are not run on its commit.
    // Concluding a merge, the commit may change nothing against HEAD and still be needed.
    await runGit(["commit", "--quiet", "--no-verify", "--allow-empty", "-m", request.message], at);
    request.committed?.();
  }
  const base = request.base ?? (await gitLine(["merge-base", request.tip, "HEAD"], at));
  const commits = (await gitLine(["rev-list", "HEAD", `^${base}`], at)).split("\n").filter(Boolean);
  if (commits.length === 0) return { sha: null, taskCommit: null, files: [], earlierCommits: 0, fastForward: false, head: before };
  const head = commits[0];
  const earlierCommits = commits.length - (files.length > 0 || merging ? 1 : 0);
  let sha: string;
  const fastForward = request.tip === base && commits.length === 1 && files.length > 0 && !merging;
  if (fastForward) {
    sha = head;
  } else {
    let tree = `${head}^{tree}`;
    if (request.tip !== base) {
      const merge = await mergeTrees(repo, request.tip, head);
      if (!merge.clean) {
        throw new GitError(`${merge.files.join(", ")} ${merge.files.length === 1 ? "does" : "do"} not merge onto the milestone branch`, "merge_conflict", undefined, merge.files);
      }
      tree = merge.tree;
    }
    sha = await gitLine(["commit-tree", tree, "-p", request.tip, "-m", request.message], at);
  }
  request.merging?.();
  await runGit(["update-ref", "-m", "milestone-machine: land task", request.milestoneRef, sha, request.tip], { cwd: repo.dir });
  return { sha, taskCommit: head, files, earlierCommits, fastForward, head };
}

/** Paths within `pathspecs` that differ from HEAD in the worktree, untracked ones included. */
export async function changedFiles(worktree: string, pathspecs: string[]): Promise<string[]> {
  return (await worktreeState(worktree, pathspecs)).files;
}

/** What `git status --porcelain=v2 --branch` says of a worktree: the changed paths within
 *  `pathspecs`, and the commit HEAD is on (null before the first commit). */
export async function worktreeState(worktree: string, pathspecs: string[]): Promise<{ files: string[]; unmerged: string[]; head: string | null }> {
  const r = await runGit(["status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all", "--no-renames", "--", ...pathspecs], { cwd: worktree });
  let head: string | null = null;
  const files: string[] = [];
  const unmerged: string[] = [];
  for (const entry of r.stdout.split("\0")) {
    if (entry.startsWith("# branch.oid ")) head = /^[0-9a-f]{40,64}$/.test(entry.slice(13)) ? entry.slice(13) : null;
    // Fields before the path: 8 for a changed entry, 10 for an unmerged one, 1 for an untracked one.
    const skip = entry[0] === "1" ? 8 : entry[0] === "u" ? 10 : entry[0] === "?" ? 1 : -1;
    if (skip < 0) continue;
    const file = entry.split(" ").slice(skip).join(" ");
    files.push(file);
    if (entry[0] === "u") unmerged.push(file);
  }
  return { files, unmerged, head };
}

