// The worktrees of one milestone's run, under `<root>/<milestone>/w<N>`: a running task gets one
// of its own at the milestone branch's tip and gives it back once its work has landed, so that
// the next task pays for a reset (`checkout -f --detach`), not a checkout of the whole tree, and
// for nothing at all when the worktree is clean and already at the tip (a chain of tasks that
// change nothing). A task's branch is made only when its work must outlive its worktree's HEAD
// (a checkpoint, a conflict): such a worktree stays bound to its task across runs, and its
// branch, as `git worktree list` shows it, says which; the log says which worktree a completed
// task that had not landed left its work in.
import fs from "node:fs";
import path from "node:path";
import type { GitRepo } from "./find-repository.ts";
import { copyIncluded } from "./worktree-include.ts";
import { runGit } from "./run-git.ts";
import { runSetup } from "./worktree-setup.ts";

export interface PoolSettings {
  /** The folder of this milestone's worktrees (absolute). */
  root: string;
  /** A task's branch: `milestone/<id>+<task>`. */
  taskBranch(taskId: string): string;
  /** Run once in each new worktree (`worktrees.setup`), or null. */
  setup: string | null;
  /** Where a new worktree's set-up writes its output. */
  setupLog(worktree: string): string;
  /** The project directory's place inside the work tree ("" at its root). */
  projectPath: string;
}

export interface Worktree {
  path: string;
  /** The task it is bound to, or null when free. */
  task: string | null;
  /** The commit its task started from. Null when unknown (found on disk, from an earlier run). */
  base: string | null;
  /** Where its HEAD is, when known to be clean there: a task starting at that commit needs no reset. */
  head: string | null;
  /** It may hold changes or untracked files of the task before: a reset also cleans it. */
  dirty: boolean;
  /** Its HEAD is on the task's branch (made for a checkpoint or a conflict). */
  branched: boolean;
  /** The milestone branch is merged in and these files conflicted: its task's agent resolves them. */
  resolving?: string[];
  /** How many times its task's conflicts went to the agent this run. */
  resolutions?: number;
}

export type PoolEvent =
  | { event: "worktree_created"; data: { worktree: string; setup: boolean; included: number } }
  | { event: "worktree_removed"; data: { worktree: string } };

export class WorktreePool {
  private readonly worktrees: Worktree[] = [];

  constructor(
    private readonly repo: GitRepo,
    private readonly settings: PoolSettings,
    private readonly record: (entry: PoolEvent) => void,
  ) {}

  /** Reads what an earlier run left in the root: each worktree, bound to its branch's task, or
   *  (`left`: task → worktree path, from the log) to a completed task that had not landed. */
  async load(left: ReadonlyMap<string, string> = new Map()): Promise<void> {
    await runGit(["worktree", "prune"], { cwd: this.repo.dir });
    const listed = await runGit(["worktree", "list", "--porcelain", "-z"], { cwd: this.repo.dir });
    const prefix = this.settings.taskBranch("");
    for (const record of listed.stdout.split("\0\0")) {
      const fields = new Map(record.split("\0").map((f) => [f.split(" ")[0], f.slice(f.indexOf(" ") + 1)] as const));
      const where = fields.get("worktree");
      if (!where || path.dirname(where) !== this.settings.root) continue;
      const branch = fields.get("branch")?.replace(/^refs\/heads\//, "") ?? "";
      const branched = branch.startsWith(prefix);
      const task = branched ? branch.slice(prefix.length) : ([...left].find(([, p]) => p === where)?.[0] ?? null);
      this.worktrees.push({ path: where, task, base: null, head: null, dirty: true, branched });
      // Only this milestone's executor, which holds its lock, runs git here: an index.lock is
      // what a git killed with an earlier run left, and would refuse every later command.
      const lock = (await runGit(["rev-parse", "--git-path", "index.lock"], { cwd: where })).stdout.trim();
      fs.rmSync(path.resolve(where, lock), { force: true });
    }
  }

  /** The worktree bound to a task, if any. */
  of(taskId: string): Worktree | undefined {
    return this.worktrees.find((w) => w.task === taskId);
  }

  /** Tasks that hold a worktree. */
  bound(): string[] {
    return this.worktrees.flatMap((w) => (w.task ? [w.task] : []));
  }

  /** The directory inside a worktree that stands for `dir` of the person's checkout. */
  mapDir(worktree: Worktree, dir: string): string {
    const inside = path.relative(this.repo.dir, dir);
    return inside === "" ? worktree.path : path.join(worktree.path, inside);
  }

  /** A worktree for the task at `base` (HEAD detached there), with nothing of an earlier task in
   *  it; one already clean at `base` is taken first, as it needs no reset. */
  async acquire(taskId: string, base: string): Promise<Worktree> {
    const free = this.worktrees.filter((w) => w.task === null);
    const reused = this.of(taskId) ?? free.find((w) => w.head === base && !w.dirty) ?? free[0];
    if (reused) {
      reused.task = taskId;
      if (reused.head !== base || reused.dirty || reused.branched) {
        await runGit(["checkout", "--quiet", "--force", "--detach", base], { cwd: reused.path });
        if (reused.dirty) await runGit(["clean", "--force", "-d", "--quiet"], { cwd: reused.path });
      }
      // Until its landing says otherwise, it holds what the task wrote.
      Object.assign(reused, { base, head: base, dirty: true, branched: false, resolving: undefined, resolutions: 0 });
      return reused;
    }
    const worktree: Worktree = { path: this.freePath(), task: taskId, base, head: base, dirty: true, branched: false };
    fs.mkdirSync(this.settings.root, { recursive: true });
    keepOutOfStatus(path.dirname(this.settings.root));
    await runGit(["worktree", "add", "--quiet", "--detach", worktree.path, base], { cwd: this.repo.dir });
    this.worktrees.push(worktree);
    try {
      const included = await copyIncluded(this.repo.dir, worktree.path);
      const setup = this.settings.setup;
      if (setup) await runSetup(setup, this.mapDir(worktree, path.join(this.repo.dir, this.settings.projectPath)), this.settings.setupLog(path.basename(worktree.path)));
      this.record({ event: "worktree_created", data: { worktree: worktree.path, setup: setup !== null, included } });
    } catch (error) {
      // Set up again from scratch next time: a half-prepared worktree is worth nothing.
      await this.remove(worktree);
      throw error;
    }
    return worktree;
  }

  /** The task's branch, made at the worktree's HEAD and checked out there (the files stay). */
  async branch(worktree: Worktree): Promise<string> {
    const branch = this.settings.taskBranch(worktree.task!);
    if (!worktree.branched) await runGit(["checkout", "--quiet", "-B", branch], { cwd: worktree.path });
    worktree.branched = true;
    return branch;
  }

  /** The task's work has landed (its worktree is at `head`, `clean` or not): the worktree may
   *  serve the next task. */
  release(taskId: string, head: string | null, clean: boolean): void {
    const worktree = this.of(taskId);
    if (!worktree) return;
    worktree.task = null;
    worktree.head = head;
    worktree.dirty = !clean;
    worktree.resolving = undefined;
  }

  /** Removes the free worktrees (at the end of a run); bound ones stay for their task. */
  async removeFree(): Promise<void> {
    for (const worktree of this.worktrees.filter((w) => w.task === null)) await this.remove(worktree);
    if (this.worktrees.length === 0) removeIfEmpty(this.settings.root);
  }

  /** Removes every worktree of the milestone (`clean`). */
  async removeAll(): Promise<string[]> {
    const removed = this.worktrees.map((w) => w.path);
    for (const worktree of [...this.worktrees]) await this.remove(worktree);
    removeIfEmpty(this.settings.root);
    return removed;
  }

  private async remove(worktree: Worktree): Promise<void> {
    const removed = await runGit(["worktree", "remove", "--force", "--force", worktree.path], { cwd: this.repo.dir, okCodes: [0, 128] });
    if (removed.code !== 0) {
      // Git did not know it as a worktree any more (its folder was deleted, or half made): the
      // folder goes by hand, and git forgets whatever it still kept of it.
      fs.rmSync(worktree.path, { recursive: true, force: true });
      await runGit(["worktree", "prune"], { cwd: this.repo.dir });
    }
    this.worktrees.splice(this.worktrees.indexOf(worktree), 1);
    this.record({ event: "worktree_removed", data: { worktree: worktree.path } });
  }

  private freePath(): string {
    for (let n = 1; ; n++) {
      const candidate = path.join(this.settings.root, `w${n}`);
      if (!this.worktrees.some((w) => w.path === candidate) && !fs.existsSync(candidate)) return candidate;
    }
  }
}

// Only what git knows as a worktree of ours is removed with its content; the folder goes only
// once nothing else is in it.
function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
  }
}

// The folder of all milestones' worktrees ignores everything in it, itself included, so that
// the person's `git status` never shows the engine's worktrees (as `.pytest_cache` does).
function keepOutOfStatus(dir: string): void {
  const file = path.join(dir, ".gitignore");
  if (!fs.existsSync(file)) fs.writeFileSync(file, "# Written by milestone-machine: its task worktrees, never part of the project.\n*\n");
}
