// What the long-lived git agent remembers about a repository between commits, so that the tenth
// commit in a row does not re-read what the first one already parsed. Keyed by git dir.
import type { GitRepo } from "./find-repository.ts";
import type { LoadedIndex } from "./index-cache.ts";

export interface RepoState {
  /** isomorphic-git's own cache (parsed pack indexes); passed to every call that accepts one. */
  objects: object;
  /** The parsed `.git/index`, valid while the file's identity (inode, size, mtime) is unchanged. */
  index: LoadedIndex | null;
  /** Per branch and milestone: which task commits the branch holds, and up to which tip. */
  taskCommits: Map<string, { tip: string; byTask: Map<string, string> }>;
  /** The last commit this process made and its root tree, to skip reading it back as the next parent. */
  lastCommit: { sha: string; tree: string } | null;
  /** Tail of the queue that runs index-changing operations one at a time. */
  queue: Promise<unknown>;
}

const states = new Map<string, RepoState>();

export function repoState(repo: GitRepo): RepoState {
  let state = states.get(repo.gitdir);
  if (!state) {
    state = { objects: {}, index: null, taskCommits: new Map(), lastCommit: null, queue: Promise.resolve() };
    states.set(repo.gitdir, state);
  }
  return state;
}

/** Runs `work` after every earlier queued operation on the same repository has settled. */
export function serialized<T>(repo: GitRepo, work: () => Promise<T>): Promise<T> {
  const state = repoState(repo);
  const run = state.queue.then(work, work);
  state.queue = run.catch(() => undefined);
  return run;
}
