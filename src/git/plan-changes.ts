// Works out, without writing anything, what committing the scope would do: the changed files,
// any conflicts, the index after staging, the commit's trees and how they differ from the parent.
import fs from "node:fs";
import git from "isomorphic-git";
import { comparePaths } from "./compare-paths.ts";
import { diffTrees, flattenTree, type TreeDiff } from "./diff-trees.ts";
import { type Conflict, markerConflicts, stateConflicts } from "./find-conflicts.ts";
import type { GitRepo } from "./find-repository.ts";
import { hashTrees, type Trees, type TreeSource } from "./hash-trees.ts";
import { type LoadedIndex, loadIndex, updateEntries } from "./index-cache.ts";
import type { IndexEntry } from "./index-format.ts";
import type { PathScope } from "./path-scope.ts";
import { repoState } from "./repo-state.ts";
import { type ChangeScan, scanChanges } from "./scan-changes.ts";

export interface ChangePlan {
  /** The index the plan was made from: committing it is only right while it is still current. */
  index: LoadedIndex;
  scan: ChangeScan;
  conflicts: Conflict[];
  /** The index after staging the scope's changes (and refreshed stat data). */
  entries: IndexEntry[];
  /** The trees of `entries` (kept with the index for the next commit). */
  stagedTrees: Trees;
  /** The commit's trees: `stagedTrees`, unless the index held changes outside the scope. */
  trees: Trees;
  diff: TreeDiff;
}

export async function planChanges(repo: GitRepo, scope: PathScope, tip: string | null): Promise<ChangePlan> {
  const index = loadIndex(repo);
  const scan = await scanChanges(repo, index, scope);
  const conflicts = [
    ...stateConflicts(repo, index),
    ...scan.changes.flatMap((c) => (c.file ? markerConflicts(c.path, c.file.content) : [])),
  ];
  const put = [...scan.changes.flatMap((c) => (c.file ? [c.file.entry] : [])), ...scan.refreshed];
  const remove = scan.changes.filter((c) => !c.file).map((c) => c.path);
  const entries = updateEntries(index.entries, put, remove);
  const staged = entries.filter((e) => e.stage === 0);
  const parentTree = await treeOfCommit(repo, tip);
  const changedPaths = [...put.map((e) => e.path), ...remove];
  const stagedTrees = hashTrees(staged, index.trees && { trees: index.trees, changedPaths });
  if (entries === index.entries) index.trees = stagedTrees;
  let trees = stagedTrees;
  let diff = await diffTrees(repo, trees, parentTree, index.trees);
  if (!scope.whole && diff.files.some((f) => !scope.includes(f))) {
    // The index held changes outside the task's paths (someone ran `git add`): the commit must
    // still hold only the task's files, so take everything else from the parent commit. Rare,
    // and the one case that reads the parent's whole tree.
    const parent = parentTree ? await flattenTree(repo, parentTree) : [];
    const outside: TreeSource[] = parent
      .filter((f) => !scope.includes(f.path))
      .map((f) => ({ path: f.path, oid: f.oid, mode: parseInt(f.mode, 8), extFlags: 0 }));
    const mixed = [...outside, ...staged.filter((e) => scope.includes(e.path))].sort((a, b) => comparePaths(a.path, b.path));
    trees = hashTrees(mixed);
    diff = await diffTrees(repo, trees, parentTree);
  }
  return { index, scan, conflicts, entries, stagedTrees, trees, diff };
}

async function treeOfCommit(repo: GitRepo, sha: string | null): Promise<string | null> {
  if (sha === null) return null;
  const state = repoState(repo);
  if (state.lastCommit?.sha === sha) return state.lastCommit.tree;
  return (await git.readCommit({ fs, gitdir: repo.gitdir, oid: sha, cache: state.objects })).commit.tree;
}
