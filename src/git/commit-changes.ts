// The one way this library commits: stage what changed in scope and commit it on the branch
// HEAD is on, as `git add -A <scope> && git commit` would, but with the index kept in memory,
// content hashed only where stat data changed, and only the changed trees written.
import { branchTip, tipOfCheckedOut } from "./branch-tip.ts";
import { commitBody, signatureNow } from "./commit-object.ts";
import type { GitRepo } from "./find-repository.ts";
import { GitError } from "./git-error.ts";
import { treeBody } from "./hash-trees.ts";
import { loadIndex, lockIndex, updateEntries } from "./index-cache.ts";
import type { PathScope } from "./path-scope.ts";
import { planChanges } from "./plan-changes.ts";
import { repoState, serialized } from "./repo-state.ts";
import { writeObject, writeRef } from "./write-object.ts";

export interface CommitRequest {
  scope: PathScope;
  message: string;
  author: { name: string; email: string };
  branch: string;
  /** Commit only when more than this many files changed (checkpoints); default 0. */
  minFiles?: number;
  /** Called once the branch points at the new commit, inside the repository's queue. */
  onCommit?: (sha: string, parent: string | null) => void;
}

export interface CommitOutcome {
  /** The new commit, or null when nothing (or not enough) changed. */
  sha: string | null;
  /** Work-tree-relative paths the commit changed (or would have, when sha is null). */
  files: string[];
}

export function commitChanges(repo: GitRepo, request: CommitRequest): Promise<CommitOutcome> {
  return serialized(repo, async () => {
    // Plan and write objects without the index lock, then take it only to swap the index and
    // move the branch: a kill -9 then rarely leaves a stale index.lock that blocks every git
    // command. Should another git command have changed the index or the branch meanwhile, plan again.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const outcome = await commitOnce(repo, request);
      if (outcome) return outcome;
    }
    throw new GitError("the index or the branch kept changing while committing", "locked",
      "another program is running git commands in this work tree; let it finish, then resume");
  });
}

// Null when the index or the branch changed between planning and locking.
async function commitOnce(repo: GitRepo, request: CommitRequest): Promise<CommitOutcome | null> {
  const tip = await tipOfCheckedOut(repo, request.branch);
  const plan = await planChanges(repo, request.scope, tip);
  if (plan.conflicts.length > 0) {
    const list = plan.conflicts.map((c) => (c.path ? `${c.path}: ${c.detail}` : c.detail)).join("; ");
    throw new GitError(`refusing to commit over conflicts: ${list}`, "conflict",
      "resolve the conflicts (or finish/abort the merge or rebase), commit, then resume the milestone", plan.conflicts);
  }
  const commit = plan.diff.files.length > (request.minFiles ?? 0);
  let sha: string | null = null;
  if (commit) {
    // Every blob the new index names must exist, in the commit's scope or not.
    for (const change of plan.scan.changes) if (change.file) writeObject(repo, "blob", change.file.content);
    for (const dir of plan.diff.write) writeObject(repo, "tree", treeBody(plan.trees.dirs.get(dir)!.items));
    const signature = signatureNow(request.author);
    sha = writeObject(repo, "commit", commitBody(plan.trees.root, tip ? [tip] : [], signature, signature, request.message));
  } else if (plan.scan.refreshed.length === 0) {
    return { sha: null, files: plan.diff.files };
  }
  const lock = await lockIndex(repo);
  try {
    if (loadIndex(repo) !== plan.index || (await branchTip(repo, request.branch)) !== tip) return null;
    if (!commit) {
      // Nothing staged (its blobs are not written), but refreshed stat data for unchanged content
      // spares the next scan the hashing.
      const trees = plan.scan.changes.length === 0 ? plan.stagedTrees : plan.index.trees;
      lock.write(updateEntries(plan.index.entries, plan.scan.refreshed, []), trees);
      return { sha: null, files: plan.diff.files };
    }
    // Index first, then the branch: a crash in between leaves the work staged, not lost, and the
    // next commit picks it up (the index then differs from the branch tip).
    lock.write(plan.entries, plan.stagedTrees);
    writeRef(repo, `refs/heads/${request.branch}`, sha!);
    repoState(repo).lastCommit = { sha: sha!, tree: plan.trees.root };
    request.onCommit?.(sha!, tip);
    return { sha, files: plan.diff.files };
  } finally {
    lock.release();
  }
}
