// The repository side of one run: what the git agent's actors do (prepare the branch, commit a
// task, checkpoint, push). Calls arrive one at a time from the git agent's mailbox; the run
// waits for the last one to end before it exits, so a commit is never cut off half-way.
import fs from "node:fs";
import path from "node:path";
import { crashPoint } from "../persist/crash-point.ts";
import { writeFileAtomic } from "../store/atomic-write.ts";
import type { JournalEntry } from "../../machines/journal-entry.ts";
import type { TaskCommitResult } from "../../machines/agents/git.ts";
import type { PreflightOutput, PublishOutput } from "../../machines/milestone.ts";
import type { Blocker } from "../milestone/blockers.ts";
import type { PlanTask } from "../milestone/plan-types.ts";
import { findRepository, type GitRepo } from "../git/find-repository.ts";
import type { Conflict } from "../git/find-conflicts.ts";
import { GitError } from "../git/git-error.ts";
import type { GitSettings } from "../git/git-settings.ts";

// The engine's own files change all through a run (the milestone file's statuses, the log):
// they would make every task look as if it changed something. They stay out of task commits.
const ENGINE_FILES = [".milestones"];

const RUN_STATE_IGNORE = "# Written by milestone-machine: run-time state, kept out of commits.\nlogs/\nsessions/\nactive/current.txt\n";

type GitOperations = typeof import("../git/git-operations.ts");

interface Active {
  ops: GitOperations;
  repo: GitRepo;
  branch: string;
  author: { name: string; email: string };
}

export class GitWork {
  private active: Active | null = null;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly settings: GitSettings,
    private readonly projectDir: string,
    private readonly milestoneId: string,
    private readonly tasks: ReadonlyMap<string, PlanTask>,
    private readonly record: (entry: JournalEntry) => void,
  ) {}

  /** True once the run commits its tasks. */
  get committing(): boolean {
    return this.active !== null;
  }

  /** The repository the run commits to, once prepared. */
  get repository(): GitRepo | null {
    return this.active?.repo ?? null;
  }

  /** Before a start or resume: the branch, the conflicts that forbid starting, and the commits
   *  of tasks that completed in an earlier run but were never committed. */
  prepare(uncommitted: string[]): Promise<Pick<PreflightOutput, "found" | "commits">> {
    return this.track(async () => {
      this.active = null;
      if (this.settings.off) return this.skip(this.settings.off);
      const repo = await findRepository(this.projectDir);
      if (!repo) return this.skip("not a git repository");
      const ops: GitOperations = await import("../git/git-operations.ts");
      const conflicts = await ops.findConflicts(repo);
      if (conflicts.length) return { found: asBlockers(conflicts), commits: [] };
      let author: Active["author"];
      try {
        author = await ops.resolveAuthor(repo, this.settings.author);
      } catch (error) {
        if (error instanceof GitError) return { found: [{ type: "git_error", detail: error.message, fix: error.hint ?? "configure git, then resume" }], commits: [] };
        throw error;
      }
      const target = `${this.settings.branchPrefix}${this.milestoneId}`;
      const branch = await ops.ensureBranch(repo, target);
      this.record({ event: "git_branch", data: { branch: branch.branch, created: branch.created, from: branch.from } });
      this.active = { ops, repo, branch: branch.branch, author };
      this.ignoreRunState();
      const commits: PreflightOutput["commits"] = [];
      for (const taskId of uncommitted) {
        const result = await this.commitNow(taskId);
        commits.push({ task_id: taskId, sha: result.sha, files: result.files.length, existing: result.existing });
      }
      return { found: [], commits };
    });
  }

  commitTask(taskId: string): Promise<TaskCommitResult> {
    return this.track(() => this.commitNow(taskId));
  }

  checkpoint(): Promise<{ sha: string | null; files: number }> {
    return this.track(async () => {
      const a = this.active;
      if (!a) return { sha: null, files: 0 };
      return asBlocker(() => a.ops.checkpoint(a.repo, { milestoneId: this.milestoneId, projectDir: this.projectDir, author: a.author, minFiles: this.settings.checkpointFiles, branch: a.branch, exclude: ENGINE_FILES }));
    });
  }

  publish(env: NodeJS.ProcessEnv = process.env): Promise<PublishOutput> {
    return this.track(async (): Promise<PublishOutput> => {
      const a = this.active;
      if (!this.settings.push || !a) return { pushed: false, reason: "off" };
      const result = await a.ops.pushBranch(a.repo, { remote: this.settings.remote, branch: a.branch, env });
      if (result.ok) return { pushed: true, remote: result.remote, branch: result.branch, sha: result.sha };
      return { pushed: false, reason: "failed", blocker: { type: "push_failed", detail: `push of ${result.branch} to ${result.remote} (${result.url}) failed: ${result.reason}`, fix: result.detail } };
    });
  }

  /** Conflicts in the repository the run commits to, as blockers (none when it commits to none). */
  async conflictBlockers(): Promise<Blocker[]> {
    const a = this.active;
    return a ? asBlockers(await this.track(() => a.ops.findConflicts(a.repo))) : [];
  }

  /** Resolves once no git work is under way. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private async commitNow(taskId: string): Promise<TaskCommitResult> {
    const a = this.active;
    if (!a) return { sha: null, files: [], existing: false };
    const task = this.tasks.get(taskId);
    const result = await asBlocker(() =>
      a.ops.commitTask(a.repo, {
        milestoneId: this.milestoneId,
        taskId,
        title: task?.title ?? taskId,
        ...(task?.paths ? { paths: task.paths } : {}),
        projectDir: this.projectDir,
        author: a.author,
        branch: a.branch,
        exclude: ENGINE_FILES,
      }),
    );
    crashPoint("after-commit");
    return result;
  }

  // The event log, snapshots and lock change all the time and mean nothing to a reviewer: a
  // project that has not said otherwise keeps them out of every commit.
  private ignoreRunState(): void {
    const file = path.join(this.projectDir, ".milestones", ".gitignore");
    if (fs.existsSync(file)) return;
    writeFileAtomic(file, RUN_STATE_IGNORE);
    this.record({ event: "git_ignore_written", data: { file: path.relative(this.projectDir, file), patterns: RUN_STATE_IGNORE.split("\n").filter((l) => l && !l.startsWith("#")) } });
  }

  private skip(reason: string): Pick<PreflightOutput, "found" | "commits"> {
    this.record({ event: "git_skipped", data: { reason } });
    return { found: [], commits: [] };
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    const promise = work();
    this.pending.add(promise);
    const forget = () => this.pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}

// All conflicts of the repository are one blocker: one fix resolves them.
function asBlockers(conflicts: Conflict[]): Blocker[] {
  if (conflicts.length === 0) return [];
  const detail = conflicts.map((c) => (c.path ? `${c.path}: ${c.detail}` : c.detail)).join("; ");
  return [{ type: "git_conflict", detail, fix: "resolve the conflict with git (or abort the merge or rebase), then run resume" }];
}

// The git agent turns a failed commit into a blocker of the kind the error names.
async function asBlocker<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GitError) Object.assign(error, { blockerType: error.code === "conflict" ? "git_conflict" : "git_error" });
    throw error;
  }
}
