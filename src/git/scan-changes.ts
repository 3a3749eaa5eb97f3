// Finds what differs between the work tree and the index, the way git's own refresh does: one
// lstat per tracked file, content hashed only when the stat data disagrees with the index, and
// one readdir per directory for untracked files, skipping ignored directories entirely.
import fs from "node:fs";
import path from "node:path";
import { comparePaths } from "./compare-paths.ts";
import { EMPTY_BLOB, gitMode, type ReadFile, readWorkFile } from "./file-entry.ts";
import type { GitRepo } from "./find-repository.ts";
import { entryMtimeMs, type LoadedIndex } from "./index-cache.ts";
import { type IndexEntry, SKIP_WORKTREE } from "./index-format.ts";
import { type IgnoreRule, globalIgnoreRules, isIgnored, readIgnoreFile } from "./ignore-rules.ts";
import type { PathScope } from "./path-scope.ts";

export interface FileChange {
  path: string;
  /** The file's new index entry and bytes; null when it was deleted. */
  file: ReadFile | null;
}

export interface ChangeScan {
  /** Added, modified and deleted files in scope, sorted by path. */
  changes: FileChange[];
  /** Unchanged content under a new stat: written back so that the next scan need not hash them. */
  refreshed: IndexEntry[];
}

const GITLINK = 0o160000;

export async function scanChanges(repo: GitRepo, index: LoadedIndex, scope: PathScope): Promise<ChangeScan> {
  const scan: ChangeScan = { changes: [], refreshed: [] };
  const examine = (rel: string, known: IndexEntry | undefined) => {
    const file = readWorkFile(`${repo.dir}/${rel}`, rel);
    if (file && known && file.entry.oid === known.oid && file.entry.mode === known.mode) {
      scan.refreshed.push({ ...file.entry, extFlags: known.extFlags });
    } else if (file || known) scan.changes.push({ path: rel, file });
  };
  for (const entry of index.byPath.values()) {
    // Submodules, sparse-checkout and assume-unchanged entries are not ours to look at.
    if (entry.mode === GITLINK || entry.assumeValid || entry.extFlags & SKIP_WORKTREE) continue;
    if (!scope.includes(entry.path)) continue;
    // Plain concatenation: path.join's normalising costs more than the lstat's bookkeeping.
    const stat = fs.lstatSync(`${repo.dir}/${entry.path}`, { throwIfNoEntry: false });
    if (!stat || !(stat.isFile() || stat.isSymbolicLink())) scan.changes.push({ path: entry.path, file: null });
    else if (!statClean(entry, stat, index.mtimeMs)) examine(entry.path, entry);
  }
  const unmergedPaths = unmerged(index);
  const tracked = (rel: string) => index.byPath.has(rel) || unmergedPaths.has(rel);
  const rules = await globalIgnoreRules(repo);
  for (const root of scope.roots) {
    walkUntracked(repo.dir, root, rulesAbove(repo.dir, root, rules), tracked, (rel) => {
      if (scope.includes(rel)) examine(rel, undefined);
    });
  }
  scan.changes.sort((a, b) => comparePaths(a.path, b.path));
  return scan;
}

// Whether the stat data proves the file unchanged. Times compare to the millisecond (Deno reports
// no finer mtime and whole-second ctimes); an entry not older than the index itself is "racily
// clean", possibly rewritten within the same tick after it was hashed, so only content can tell.
function statClean(entry: IndexEntry, stat: fs.Stats, indexMtimeMs: number): boolean {
  const mtimeMs = entryMtimeMs(entry);
  if (mtimeMs >= indexMtimeMs) return false;
  if (entry.size !== stat.size % 2 ** 32 || (entry.size === 0 && entry.oid !== EMPTY_BLOB)) return false;
  if (entry.mode !== gitMode(stat) || Math.floor(stat.ctimeMs / 1000) !== entry.ctimeSec) return false;
  return Math.floor(stat.mtimeMs) === mtimeMs || Math.abs(stat.mtimeMs - (entry.mtimeSec * 1000 + entry.mtimeNsec / 1e6)) < 0.001;
}

const unmergedCache = new WeakMap<LoadedIndex, Set<string>>();
function unmerged(index: LoadedIndex): Set<string> {
  let set = unmergedCache.get(index);
  if (!set) unmergedCache.set(index, (set = new Set(index.entries.filter((e) => e.stage > 0).map((e) => e.path))));
  return set;
}

// The ignore rules in force at `root`, or null when an ancestor directory is itself ignored.
function rulesAbove(dir: string, root: string, rules: IgnoreRule[]): IgnoreRule[] | null {
  const segments = root === "" ? [] : root.split("/");
  for (let i = 0; i < segments.length; i++) {
    const base = segments.slice(0, i).join("/");
    rules = rules.concat(readIgnoreFile(path.join(dir, base, ".gitignore"), base));
    if (i < segments.length - 1 && isIgnored(rules, segments.slice(0, i + 1).join("/"), true)) return null;
  }
  return rules;
}

/** Calls `visit` for every untracked file or symlink under `root` that no ignore rule hides. */
function walkUntracked(
  top: string,
  root: string,
  rules: IgnoreRule[] | null,
  tracked: (rel: string) => boolean,
  visit: (rel: string) => void,
): void {
  if (!rules) return;
  const stat = fs.lstatSync(path.join(top, root), { throwIfNoEntry: false });
  if (!stat) return;
  const isDir = stat.isDirectory();
  if (!isDir) return tracked(root) || isIgnored(rules, root, false) ? undefined : visit(root);
  if (root !== "" && isIgnored(rules, root, true)) return;
  const walk = (dir: string, inherited: IgnoreRule[]) => {
    const names = fs.readdirSync(path.join(top, dir), { withFileTypes: true });
    // A directory with its own .git is another repository (git add -A would add it as a submodule).
    if (dir !== "" && names.some((d) => d.name === ".git")) return;
    const local = names.some((d) => d.name === ".gitignore") ? readIgnoreFile(path.join(top, dir, ".gitignore"), dir) : [];
    const dirRules = local.length ? inherited.concat(local) : inherited;
    for (const dirent of names) {
      if (dirent.name === ".git") continue;
      const rel = dir === "" ? dirent.name : `${dir}/${dirent.name}`;
      const kind = dirent.isDirectory() || dirent.isFile() || dirent.isSymbolicLink() ? dirent : fs.lstatSync(path.join(top, rel));
      if (kind.isDirectory()) {
        if (!isIgnored(dirRules, rel, true)) walk(rel, dirRules);
      } else if ((kind.isFile() || kind.isSymbolicLink()) && !tracked(rel) && !isIgnored(dirRules, rel, false)) visit(rel);
    }
  };
  walk(root, rules);
}
