// The repository side of one run: the milestone branch, a worktree per running task, each
// finished task's commit and its merge onto the milestone branch, checkpoints, push. Every git
// operation goes through one queue, so worktrees are prepared and tasks land one at a time, in
// the order they were asked for; the run waits for the queue before it exits, so a merge is
// never cut off half-way. The person's checkout (its HEAD, index and files) is never touched.
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../store/atomic-write.ts";
import { crashPoint } from "../persist/crash-point.ts";
import type { JournalEntry } from "../../machines/journal-entry.ts";
import type { TaskCommitResult } from "../../machines/agents/git.ts";
import type { PreflightOutput, PublishOutput } from "../../machines/milestone.ts";
import type { PlanTask } from "../milestone/plan-types.ts";
import { findRepository, type GitRepo } from "../git/find-repository.ts";
import { GitError } from "../git/git-error.ts";
import type { GitSettings } from "../git/git-settings.ts";
import { changedFiles, landTask } from "../git/land-task.ts";
import { ensureMilestoneBranch } from "../git/milestone-branch.ts";
import { authorEnv, resolveAuthor } from "../git/resolve-author.ts";
import { runGit } from "../git/run-git.ts";
import { conflictPrompt } from "../git/conflict-prompt.ts";
import { taskPathspecs } from "../git/task-pathspecs.ts";
import { WorktreePool } from "../git/worktree-pool.ts";

// A task whose agent resolved its conflicts, but which conflicts again (the branch moved on
// meanwhile), goes back to its agent at most this many times in one run.
const MAX_RESOLUTIONS = 3;

const RUN_STATE_IGNORE = "# Written by milestone-machine: run-time state, kept out of commits.\nlogs/\nsessions/\nworktrees/\nactive/current.txt\n";

interface Active {
  repo: GitRepo;
  branch: string;
  ref: string;
  /** Where the milestone branch points: only this run moves it. */
  tip: string;
  env: Record<string, string>;
  pool: WorktreePool;
  /** The project directory relative to the work tree root. */
  projectPath: string;
  /** Task branches whose work has landed: deleted when the run ends. */
  landed: Set<string>;
}

export interface GitWorkOptions {
  settings: GitSettings;
  projectDir: string;
  milestoneId: string;
  /** Ids of the milestones this one requires: their branches go into a new milestone branch. */
  requires: string[];
  tasks: ReadonlyMap<string, PlanTask>;
  /** Where the task worktrees live (`worktrees.dir`, default `.milestones/worktrees`). */
  worktreesDir: string;
  /** `worktrees.setup`: run once in each new worktree. */
  setup: string | null;
  setupLog(worktree: string): string;
  /** From the log: the worktree each task last ran in (to land what a crash left unlanded). */
  lastWorktrees: ReadonlyMap<string, string>;
  record(entry: JournalEntry): void;
}

export class GitWork {
  private active: Active | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly options: GitWorkOptions) {}

  /** True once the run commits its tasks. */
  get committing(): boolean {
    return this.active !== null;
  }

  /** Before a start or resume: the milestone branch, the worktrees an earlier run left, and the
   *  landing of tasks that completed in an earlier run but never landed. */
  prepare(uncommitted: string[]): Promise<Pick<PreflightOutput, "found" | "commits">> {
    return this.serial(async () => {
      this.active = null;
      const { settings, milestoneId } = this.options;
      if (settings.off) return this.skip(settings.off);
      const repo = await findRepository(this.options.projectDir);
      if (!repo) return this.skip("not a git repository");
      let env: Record<string, string>;
      try {
        env = authorEnv(await resolveAuthor(repo, settings.author));
      } catch (error) {
        if (error instanceof GitError) return { found: [{ type: "git_error", detail: error.message, fix: error.hint ?? "configure git, then resume" }], commits: [] };
        throw error;
      }
      const branch = `${settings.branchPrefix}${milestoneId}`;
      let made;
      try {
        made = await ensureMilestoneBranch(repo, { branch, milestoneId, requires: this.options.requires.map((id) => `${settings.branchPrefix}${id}`), env });
      } catch (error) {
        if (error instanceof GitError) return { found: [{ type: error.code, detail: error.message, fix: error.hint ?? "" }], commits: [] };
        throw error;
      }
      this.record({ event: "git_branch", data: { branch, created: made.created, from: made.from, merged: made.merged } });
      this.ignoreRunState();
      const projectPath = path.relative(repo.dir, path.resolve(this.options.projectDir)).split(path.sep).join("/");
      const own = await changedFiles(repo.dir, taskPathspecs(projectPath));
      // Said once per start: the person's work in progress is not in what the tasks start from.
      if (own.length) this.record({ event: "checkout_uncommitted", data: { files: own.length, branch } });
      const taskBranch = (taskId: string) => `${branch}+${taskId}`;
      const pool = new WorktreePool(
        repo,
        {
          root: path.join(this.options.worktreesDir, milestoneId),
          taskBranch,
          setup: this.options.setup,
          setupLog: this.options.setupLog,
          projectPath,
        },
        (entry) => this.record({ event: entry.event, data: { ...entry.data, worktree: this.shown(entry.data.worktree) } }),
      );
      await pool.load(new Map([...this.options.lastWorktrees].filter(([t]) => uncommitted.includes(t)).map(([t, w]) => [t, path.resolve(this.options.projectDir, w)])));
      const ref = `refs/heads/${branch}`;
      const a: Active = { repo, branch, ref, tip: made.tip, env, pool, projectPath, landed: new Set() };
      this.active = a;
      // A worktree an earlier run left bound to a task that has landed since is free again.
      for (const taskId of pool.bound().filter((t) => !uncommitted.includes(t))) {
        const { findTaskCommit } = await import("../git/find-task-commit.ts");
        if (await findTaskCommit(repo, a.tip, milestoneId, taskId)) this.done(a, taskId, null, false);
      }
      const found: PreflightOutput["found"] = [];
      const commits: PreflightOutput["commits"] = [];
      for (const taskId of uncommitted) {
        try {
          const result = await this.land(taskId, true);
          commits.push({ task_id: taskId, sha: result.sha, files: result.files.length, existing: result.existing });
        } catch (error) {
          if (!(error instanceof GitError)) throw error;
          found.push(this.blockerOf(error, taskId));
        }
      }
      return { found, commits };
    });
  }

  /** The directory a task runs in: in a git run, the matching directory of a worktree of its
   *  own, on its task branch at the milestone branch's tip; else (or `isolation: shared`) the
   *  task's own directory in the project. */
  workdir(taskId: string, attempt: number, resolving = false): string | Promise<string> {
    const task = this.options.tasks.get(taskId)!;
    // Synchronous when there is nothing to prepare: a run without git pays nothing per task.
    if (!this.active || task.isolation === "shared") return task.cwd;
    // Its agent resolves a conflict in the worktree as the merge left it.
    const current = this.active.pool.of(taskId);
    if (resolving && current) return this.active.pool.mapDir(current, task.cwd);
    return this.serial(async () => {
      const a = this.active!;
      const worktree = await a.pool.acquire(taskId, a.tip).catch((error) => {
        if (error instanceof GitError) Object.assign(error, { blockerType: error.code === "setup_failed" ? "worktree_setup_failed" : "git_error" });
        throw error;
      });
      this.record({ event: "task_worktree", data: { task_id: taskId, attempt, worktree: this.shown(worktree.path), base: a.tip } });
      return a.pool.mapDir(worktree, task.cwd);
    });
  }

  /** The prompt for a task's agent whose work conflicts with the milestone branch. */
  conflictPrompt(taskId: string, files: string[]): string {
    const task = this.options.tasks.get(taskId);
    return conflictPrompt({ milestoneId: this.options.milestoneId, taskId, title: task?.title ?? taskId, branch: this.active?.branch ?? "the milestone branch", files });
  }

  /** Rejects with an error whose `blockerType` and `hint` the git agent turns into a blocker,
   *  or, marked `resolvable`, whose conflict goes to the task's agent (`on_conflict: agent`). */
  commitTask(taskId: string): Promise<TaskCommitResult> {
    return this.serial(async () => {
      try {
        return await this.land(taskId, false);
      } catch (error) {
        if (error instanceof GitError) Object.assign(error, { blockerType: this.blockerOf(error, taskId).type });
        throw error;
      }
    });
  }

  /** Checkpoints: the work so far of each running task with more than `checkpointFiles` changed
   *  files is committed on its own task branch (never on the milestone branch). */
  checkpoint(running: string[]): Promise<{ sha: string | null; files: number }> {
    return this.serial(async () => {
      const a = this.active;
      if (!a) return { sha: null, files: 0 };
      for (const taskId of running) {
        const worktree = a.pool.of(taskId);
        // A worktree mid-merge (its agent resolving a conflict) is committed only once resolved.
        if (!worktree || worktree.resolving) continue;
        const pathspecs = taskPathspecs(a.projectPath, this.options.tasks.get(taskId)?.paths);
        const files = await changedFiles(worktree.path, pathspecs);
        if (files.length <= this.options.settings.checkpointFiles) continue;
        const at = { cwd: worktree.path, env: a.env };
        const branch = await a.pool.branch(worktree);
        await runGit(["add", "--all", "--", ...pathspecs], at);
        const message = `checkpoint(milestone-${this.options.milestoneId}): work in progress of ${taskId}\n\nTask: ${taskId}\nMilestone: ${this.options.milestoneId}\n`;
        await runGit(["commit", "--quiet", "--no-verify", "-m", message], at);
        const sha = (await runGit(["rev-parse", "HEAD"], at)).stdout.trim();
        this.record({ event: "auto_commit", data: { task_id: taskId, branch, sha, files: files.length } });
      }
      return { sha: null, files: 0 };
    });
  }

  publish(env: NodeJS.ProcessEnv = process.env): Promise<PublishOutput> {
    return this.serial(async (): Promise<PublishOutput> => {
      const a = this.active;
      if (!this.options.settings.push || !a) return { pushed: false, reason: "off" };
      const { pushBranch } = await import("../git/push-branch.ts");
      const result = await pushBranch(a.repo, { remote: this.options.settings.remote, branch: a.branch, env });
      if (result.ok) return { pushed: true, remote: result.remote, branch: result.branch, sha: result.sha };
      return { pushed: false, reason: "failed", blocker: { type: "push_failed", detail: `push of ${result.branch} to ${result.remote} (${result.url}) failed: ${result.reason}`, fix: result.detail } };
    });
  }

  /** At the end of a run: the worktrees no task needs any more and the branches of landed tasks
   *  go; a failed, conflicting or interrupted task keeps its worktree and branch. */
  finish(): Promise<void> {
    return this.serial(async () => {
      const a = this.active;
      if (!a) return;
      await a.pool.removeFree();
      const bound = new Set(a.pool.bound());
      const listed = await runGit(["for-each-ref", "--format=%(refname)", `refs/heads/${a.branch}+*`], { cwd: a.repo.dir });
      const prefix = `refs/heads/${a.branch}+`;
      const gone = listed.stdout.split("\n").filter((ref) => ref.startsWith(prefix) && a.landed.has(ref.slice(prefix.length)) && !bound.has(ref.slice(prefix.length)));
      if (gone.length) await runGit(["update-ref", "--stdin"], { cwd: a.repo.dir, input: gone.map((ref) => `delete ${ref}\n`).join("") });
    });
  }

  /** The milestone branch and the branch the person's checkout is on, once prepared. */
  async review(): Promise<{ branch: string; checkout: string | null } | null> {
    const a = this.active;
    if (!a) return null;
    const head = await runGit(["symbolic-ref", "--quiet", "--short", "HEAD"], { cwd: a.repo.dir, okCodes: [0, 1] });
    return { branch: a.branch, checkout: head.code === 0 ? head.stdout.trim() : null };
  }

  /** Resolves once no git work is under way. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  // Lands a finished task: commit in its worktree, merge onto the milestone branch. `recovering`:
  // a resume, where the task may have landed already before a crash.
  private async land(taskId: string, recovering: boolean): Promise<TaskCommitResult> {
    const a = this.active;
    const worktree = a?.pool.of(taskId);
    if (!a || !worktree) return { sha: null, files: [], existing: false };
    if (recovering) {
      const { findTaskCommit } = await import("../git/find-task-commit.ts");
      const existing = await findTaskCommit(a.repo, a.tip, this.options.milestoneId, taskId);
      if (existing) {
        this.done(a, taskId, null, false);
        return { sha: existing, files: [], existing: true };
      }
    }
    const task = this.options.tasks.get(taskId);
    let landed;
    try {
      landed = await landTask(a.repo, {
        worktree: worktree.path,
        base: worktree.base,
        milestoneRef: a.ref,
        tip: a.tip,
        message: taskMessage({ milestoneId: this.options.milestoneId, taskId, title: task?.title ?? taskId }),
        pathspecs: taskPathspecs(a.projectPath, task?.paths),
        env: a.env,
        ...(worktree.resolving ? { resolved: worktree.resolving } : {}),
        committed: () => crashPoint("after-task-commit"),
        merging: () => crashPoint("before-merge-ref"),
      });
    } catch (error) {
      if (error instanceof GitError && error.code === "merge_conflict") {
        // Its branch holds the work from now on, and the person (or its agent) resolves there.
        await a.pool.branch(worktree);
        const unresolved = (error as { unresolved?: boolean }).unresolved === true;
        if (task?.resolver && !recovering && !unresolved && (worktree.resolutions ?? 0) < MAX_RESOLUTIONS) {
          // The milestone branch is merged into the worktree, markers and all, for the agent.
          await runGit(["merge", "--no-edit", "--no-ff", "--quiet", a.tip], { cwd: worktree.path, env: a.env, okCodes: [0, 1] });
          worktree.resolving = error.files;
          worktree.resolutions = (worktree.resolutions ?? 0) + 1;
          throw Object.assign(new GitError(`task ${taskId}: ${error.files.join(", ")} conflict with ${a.branch}; its agent resolves them`, "merge_conflict", undefined, error.files), { resolvable: true });
        }
        const what = unresolved ? error.message : `${error.files.join(", ")} ${error.files.length === 1 ? "conflicts" : "conflict"} with ${a.branch}`;
        throw new GitError(
          `task ${taskId}: ${what}; its work is kept on ${a.branch}+${taskId} in ${this.shown(worktree.path)}`,
          "merge_conflict",
          `cd ${this.shown(worktree.path)} && git merge ${a.branch}, resolve ${error.files.join(", ")} and commit; then milestone-machine retry ${this.options.milestoneId} ${taskId} && milestone-machine resume ${this.options.milestoneId}`,
          error.files,
        );
      }
      throw error;
    }
    if (landed.sha) {
      crashPoint("after-merge");
      a.tip = landed.sha;
      this.record({ event: "task_merged", data: { task_id: taskId, sha: landed.sha, task_commit: landed.taskCommit, fast_forward: landed.fastForward, earlier_commits: landed.earlierCommits } });
    }
    // With `paths:`, what the task changed outside them is still in the worktree.
    this.done(a, taskId, landed.head, !task?.paths);
    return { sha: landed.sha, files: landed.files, existing: false };
  }

  // The task's work is on the milestone branch (or it had none): its worktree is free.
  private done(a: Active, taskId: string, head: string | null, clean: boolean): void {
    a.pool.release(taskId, head, clean);
    a.landed.add(taskId);
  }

  private blockerOf(error: GitError, taskId: string) {
    return { type: error.code === "merge_conflict" ? "merge_conflict" : "git_error", detail: error.message, task: taskId, fix: error.hint ?? "fix the repository, then run resume" };
  }

  // Paths in messages and the log: relative to the project when inside it.
  private shown(file: string): string {
    const relative = path.relative(this.options.projectDir, file);
    return relative.startsWith("..") ? file : relative;
  }

  private record(entry: JournalEntry): void {
    this.options.record(entry);
  }

  // The event log, snapshots and lock change all the time and mean nothing to a reviewer: a
  // project that has not said otherwise keeps them out of `git status` and of every commit.
  private ignoreRunState(): void {
    const file = path.join(this.options.projectDir, ".milestones", ".gitignore");
    if (fs.existsSync(file)) return;
    writeFileAtomic(file, RUN_STATE_IGNORE);
    this.record({ event: "git_ignore_written", data: { file: path.relative(this.options.projectDir, file), patterns: RUN_STATE_IGNORE.split("\n").filter((l) => l && !l.startsWith("#")) } });
  }

  private skip(reason: string): Pick<PreflightOutput, "found" | "commits"> {
    this.record({ event: "git_skipped", data: { reason } });
    return { found: [], commits: [] };
  }

  // One git operation at a time, in the order asked; each tracked until it ends.
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const promise = this.queue.then(work);
    this.queue = promise.catch(() => undefined);
    this.pending.add(promise);
    const forget = () => this.pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

export function taskMessage(input: { milestoneId: string; taskId: string; title: string }): string {
  // The subject is one line whatever the title holds; the trailers are what findTaskCommit reads.
  const title = input.title.replace(/\s+/g, " ").trim();
  return `feat(milestone-${input.milestoneId}): Complete task: ${title}\n\nTask: ${input.taskId}\nMilestone: ${input.milestoneId}\n`;
}
