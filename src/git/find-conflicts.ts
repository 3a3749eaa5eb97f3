// Finds what must stop a commit: unmerged index entries, a merge or rebase left half done, and
// conflict markers in changed files. Cheap on big trees: the index is the cached parse, state
// files are four existence checks, and only changed files are read for markers.
import fs from "node:fs";
import path from "node:path";
import type { GitRepo } from "./find-repository.ts";
import { type LoadedIndex, loadIndex } from "./index-cache.ts";
import { pathScope } from "./path-scope.ts";
import { scanChanges } from "./scan-changes.ts";

export type Conflict = {
  kind: "unmerged" | "merge_in_progress" | "rebase_in_progress" | "markers";
  path?: string;
  detail: string;
};

/** `changedPaths` (work-tree-relative) limits the marker search; by default every file that
 *  differs from the index is searched. */
export async function findConflicts(repo: GitRepo, options: { changedPaths?: string[] } = {}): Promise<Conflict[]> {
  const index = loadIndex(repo);
  let files = options.changedPaths?.map((p) => ({ path: p, content: readIfFile(path.join(repo.dir, p)) }));
  if (!files) {
    const { changes } = await scanChanges(repo, index, pathScope(repo, repo.dir));
    files = changes.map((c) => ({ path: c.path, content: c.file?.content ?? null }));
  }
  return [...stateConflicts(repo, index), ...files.flatMap((f) => (f.content ? markerConflicts(f.path, f.content) : []))];
}

/** Unmerged entries and unfinished merges, rebases, cherry-picks and reverts. */
export function stateConflicts(repo: GitRepo, index: LoadedIndex): Conflict[] {
  const stages = new Map<string, number[]>();
  for (const entry of index.entries) {
    if (entry.stage > 0) stages.set(entry.path, [...(stages.get(entry.path) ?? []), entry.stage]);
  }
  const found: Conflict[] = [...stages].map(([p, s]) => ({ kind: "unmerged", path: p, detail: `unmerged (${describeStages(s)})` }));
  const has = (name: string) => fs.existsSync(path.join(repo.gitdir, name));
  if (has("MERGE_HEAD")) found.push({ kind: "merge_in_progress", detail: "a merge is in progress (git merge --continue or --abort)" });
  // Cherry-pick and revert are merges of one commit: the same unfinished state, the same remedy.
  if (has("CHERRY_PICK_HEAD")) found.push({ kind: "merge_in_progress", detail: "a cherry-pick is in progress (git cherry-pick --continue or --abort)" });
  if (has("REVERT_HEAD")) found.push({ kind: "merge_in_progress", detail: "a revert is in progress (git revert --continue or --abort)" });
  if (has("rebase-merge") || has("rebase-apply")) found.push({ kind: "rebase_in_progress", detail: "a rebase is in progress (git rebase --continue or --abort)" });
  return found;
}

// Stage 1 is the common ancestor, 2 ours, 3 theirs: which ones exist says how the sides clashed.
function describeStages(stages: number[]): string {
  const key = [1, 2, 3].map((s) => (stages.includes(s) ? s : "-")).join("");
  const names: Record<string, string> = { "123": "both modified", "-23": "both added", "12-": "deleted by them", "1-3": "deleted by us", "-2-": "added by us", "--3": "added by them", "1--": "both deleted" };
  return names[key] ?? `stages ${stages.join(",")}`;
}

// A line opening or closing a conflict (`<<<<<<< ours`, `>>>>>>> theirs`). A lone `=======` is
// not enough on its own: it is also how Markdown and reStructuredText underline a heading.
const MARKER = /^(<{7}|>{7})(?: |\r?$)/m;

export function markerConflicts(relPath: string, content: Buffer): Conflict[] {
  // Git's own binary test: a NUL byte in the first 8000 bytes.
  if (content.subarray(0, 8000).includes(0)) return [];
  const text = content.toString("utf8");
  const match = MARKER.exec(text);
  if (!match) return [];
  const line = text.slice(0, match.index).split("\n").length;
  return [{ kind: "markers", path: relPath, detail: `conflict marker '${match[1]}' at line ${line}` }];
}

function readIfFile(file: string): Buffer | null {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat?.isFile() ? fs.readFileSync(file) : null;
}
