// The worktrees of one milestone's run, under `<root>/<milestone>/w<N>`: a running task gets one
// of its own, checked out on its task branch at the milestone branch's tip, and gives it back
// once its work has landed, so that the next task only pays for a reset (`checkout -f -B`), not a
// checkout of the whole tree. A worktree whose task has not landed (failed, conflicted,
// interrupted) stays bound to that task across runs: its branch, as `git worktree list` shows it,
// says which.
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
  /** It may hold untracked files of the task before: a reset also cleans it. */
  dirty: boolean;
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

  /** Reads what an earlier run left in the root: each worktree, bound to its branch's task. */
  async load(): Promise<void> {
    await runGit(["worktree", "prune"], { cwd: this.repo.dir });
    const listed = await runGit(["worktree", "list", "--porcelain", "-z"], { cwd: this.repo.dir });
    const prefix = this.settings.taskBranch("");
    for (const record of listed.stdout.split("\0\0")) {
      const fields = new Map(record.split("\0").map((f) => [f.split(" ")[0], f.slice(f.indexOf(" ") + 1)] as const));
      const where = fields.get("worktree");
      if (!where || path.dirname(where) !== this.settings.root) continue;
      const branch = fields.get("branch")?.replace(/^refs\/heads\//, "") ?? "";
      const task = branch.startsWith(prefix) ? branch.slice(prefix.length) : null;
      this.worktrees.push({ path: where, task, base: null, dirty: true });
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

  /** A worktree for the task, on its branch at `base`, with nothing of an earlier task in it. */
  async acquire(taskId: string, base: string): Promise<{ worktree: Worktree; created: boolean }> {
    const branch = this.settings.taskBranch(taskId);
    const reused = this.of(taskId) ?? this.worktrees.find((w) => w.task === null);
    if (reused) {
      reused.task = taskId;
      await runGit(["checkout", "--quiet", "--force", "-B", branch, base], { cwd: reused.path });
      if (reused.dirty) await runGit(["clean", "--force", "-d", "--quiet"], { cwd: reused.path });
      reused.base = base;
      reused.dirty = true;
      return { worktree: reused, created: false };
    }
    const worktree: Worktree = { path: this.freePath(), task: taskId, base, dirty: true };
    fs.mkdirSync(this.settings.root, { recursive: true });
    keepOutOfStatus(path.dirname(this.settings.root));
    await runGit(["worktree", "add", "--quiet", "-B", branch, worktree.path, base], { cwd: this.repo.dir });
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
    return { worktree, created: true };
  }

  /** The task's work has landed: its worktree may serve the next task. */
  release(taskId: string, clean: boolean): void {
    const worktree = this.of(taskId);
    if (!worktree) return;
    worktree.task = null;
    worktree.dirty = !clean;
  }

  /** Removes the free worktrees (at the end of a run); bound ones stay for their task. */
  async removeFree(): Promise<void> {
    for (const worktree of this.worktrees.filter((w) => w.task === null)) await this.remove(worktree);
    if (this.worktrees.length === 0) fs.rmSync(this.settings.root, { recursive: true, force: true });
  }

  /** Removes every worktree of the milestone (`clean`). */
  async removeAll(): Promise<string[]> {
    const removed = this.worktrees.map((w) => w.path);
    for (const worktree of [...this.worktrees]) await this.remove(worktree);
    fs.rmSync(this.settings.root, { recursive: true, force: true });
    return removed;
  }

  private async remove(worktree: Worktree): Promise<void> {
    await runGit(["worktree", "remove", "--force", "--force", worktree.path], { cwd: this.repo.dir, okCodes: [0, 128] });
    fs.rmSync(worktree.path, { recursive: true, force: true });
    await runGit(["worktree", "prune"], { cwd: this.repo.dir });
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

// The folder of all milestones' worktrees ignores everything in it, itself included, so that
// the person's `git status` never shows the engine's worktrees (as `.pytest_cache` does).
function keepOutOfStatus(dir: string): void {
  const file = path.join(dir, ".gitignore");
  if (!fs.existsSync(file)) fs.writeFileSync(file, "# Written by milestone-machine: its task worktrees, never part of the project.\n*\n");
}
