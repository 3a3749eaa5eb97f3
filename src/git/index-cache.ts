// The parsed index, kept in memory between commits and re-read only when the file's identity
// changes (another git command rewrote it). Writes go through `.git/index.lock` like git's own.
import fs from "node:fs";
import path from "node:path";
import { comparePaths } from "./compare-paths.ts";
import type { GitRepo } from "./find-repository.ts";
import { GitError } from "./git-error.ts";
import type { Trees } from "./hash-trees.ts";
import { type IndexEntry, parseIndex, serializeIndex } from "./index-format.ts";
import { repoState } from "./repo-state.ts";

export interface LoadedIndex {
  /** Every entry, sorted by path then stage, as in the file. */
  entries: IndexEntry[];
  /** Stage-0 entries by path. */
  byPath: Map<string, IndexEntry>;
  /** inode, size and mtime of the file the entries came from; "" when there is no index yet. */
  identity: string;
  /** The file's mtime in whole ms: an entry at least this new may be "racily clean" (see scan-changes.ts). */
  mtimeMs: number;
  /** The trees of the stage-0 entries, once computed: the next commit re-hashes only what it changed. */
  trees?: Trees;
}

export function loadIndex(repo: GitRepo): LoadedIndex {
  const state = repoState(repo);
  const file = path.join(repo.gitdir, "index");
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  const identity = stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : "";
  if (state.index?.identity === identity) return state.index;
  const entries = stat ? parseIndex(fs.readFileSync(file)) : [];
  state.index = indexOf(entries, identity, stat ? Math.floor(stat.mtimeMs) : 0);
  return state.index;
}

function indexOf(entries: IndexEntry[], identity: string, mtimeMs: number): LoadedIndex {
  const byPath = new Map<string, IndexEntry>();
  for (const entry of entries) if (entry.stage === 0) byPath.set(entry.path, entry);
  return { entries, byPath, identity, mtimeMs };
}

/** Holds `.git/index.lock` until `write` replaces the index or `release` gives up. */
export interface IndexLock {
  /** `trees`, when given, must be the trees of the entries' stage 0 (kept for the next commit). */
  write(entries: IndexEntry[], trees?: Trees): void;
  release(): void;
}

/** Editors run `git status` every few seconds, and each holds the lock for a moment: wait for
 *  it (up to `waitMs`) rather than block the milestone over a lock that is about to go away. */
export async function lockIndex(repo: GitRepo, waitMs = 5000): Promise<IndexLock> {
  const file = path.join(repo.gitdir, "index");
  const lockFile = `${file}.lock`;
  const fd = await createExclusive(lockFile, Date.now() + waitMs);
  let open = true;
  let held = true;
  return {
    write(entries, trees) {
      const previous = loadIndex(repo);
      const written = entries.map((e) => smudgeIfRacy(e, previous.mtimeMs));
      try {
        fs.writeFileSync(fd, serializeIndex(written));
      } finally {
        fs.closeSync(fd);
        open = false;
      }
      fs.renameSync(lockFile, file);
      held = false;
      const stat = fs.statSync(file);
      const index = indexOf(written, `${stat.ino}:${stat.size}:${stat.mtimeMs}`, Math.floor(stat.mtimeMs));
      repoState(repo).index = { ...index, trees };
    },
    release() {
      if (!held) return;
      held = false;
      if (open) fs.closeSync(fd);
      fs.rmSync(lockFile, { force: true });
    },
  };
}

async function createExclusive(lockFile: string, deadline: number): Promise<number> {
  for (;;) {
    try {
      return fs.openSync(lockFile, "wx");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (Date.now() >= deadline) {
        throw new GitError(`${lockFile} exists: another git process is using the repository`, "locked",
          `if no git command is running, a crashed one left it behind: remove ${lockFile}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

// Git's racy-clean rule: an entry whose mtime is not older than the index it is written over may
// have changed again within the same timestamp tick after it was hashed. Writing its size as 0
// (git does the same) forces whoever reads the index next, git or us, to compare content.
function smudgeIfRacy(entry: IndexEntry, previousIndexMtimeMs: number): IndexEntry {
  if (previousIndexMtimeMs === 0 || entryMtimeMs(entry) < previousIndexMtimeMs) return entry;
  return { ...entry, size: 0 };
}

export function entryMtimeMs(entry: IndexEntry): number {
  return entry.mtimeSec * 1000 + Math.floor(entry.mtimeNsec / 1e6);
}

/** Inserts or replaces stage-0 entries and removes deleted paths, keeping the sort order.
 *  Binary search per added entry: re-sorting 10,000 entries per commit would dominate. */
export function updateEntries(entries: IndexEntry[], put: IndexEntry[], remove: string[]): IndexEntry[] {
  if (put.length === 0 && remove.length === 0) return entries;
  const drop = new Set([...remove, ...put.map((e) => e.path)]);
  const kept = entries.filter((e) => !drop.has(e.path));
  const merged: IndexEntry[] = [];
  let from = 0;
  for (const entry of [...put].sort((a, b) => comparePaths(a.path, b.path))) {
    let lo = from;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (comparePaths(kept[mid].path, entry.path) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) merged.push(kept[i]);
    merged.push(entry);
    from = lo;
  }
  for (let i = from; i < kept.length; i++) merged.push(kept[i]);
  return merged;
}
