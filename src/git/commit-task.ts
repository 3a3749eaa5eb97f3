// The per-task commit of the git agent: the task's changed files (limited to its `paths:` when
// it declares them) in one commit whose trailers name the task, made at most once per task.
import { commitChanges } from "./commit-changes.ts";
import type { GitRepo } from "./find-repository.ts";
import { findTaskCommit, rememberTaskCommit } from "./find-task-commit.ts";
import { pathScope } from "./path-scope.ts";

export interface CommitTaskInput {
  milestoneId: string;
  taskId: string;
  title: string;
  /** Globs relative to projectDir (`src/**\/*.ts`, `docs/a.md`, `out/`); none: the whole work tree. */
  paths?: string[];
  /** Globs relative to projectDir never committed, e.g. the executor's own `.milestones/logs/`. */
  exclude?: string[];
  projectDir: string;
  author: { name: string; email: string };
  branch: string;
}

export interface TaskCommit {
  /** The task's commit; null when the task changed nothing. */
  sha: string | null;
  /** Work-tree-relative paths the commit changed (empty when `existing`). */
  files: string[];
  /** True when the branch already held the task's commit (a re-run after a crash): nothing was committed. */
  existing: boolean;
}

/**
 * Throws GitError "conflict" rather than commit over unmerged files, an unfinished merge or
 * rebase, or conflict markers in the files it would commit.
 * @example
 * await commitTask(repo, { milestoneId: "auth-v2", taskId: "api", title: "Login endpoint",
 *   paths: ["src/**"], projectDir, author, branch: "milestone/auth-v2" });
 */
export async function commitTask(repo: GitRepo, input: CommitTaskInput): Promise<TaskCommit> {
  const existing = await findTaskCommit(repo, input.branch, input.milestoneId, input.taskId);
  if (existing) return { sha: existing, files: [], existing: true };
  const scope = pathScope(repo, input.projectDir, input.paths, input.exclude);
  const { sha, files } = await commitChanges(repo, {
    scope,
    message: taskMessage(input),
    author: input.author,
    branch: input.branch,
    onCommit: (commit, parent) => rememberTaskCommit(repo, input.branch, input.milestoneId, input.taskId, commit, parent),
  });
  return { sha, files, existing: false };
}

export function taskMessage(input: Pick<CommitTaskInput, "milestoneId" | "taskId" | "title">): string {
  // The subject is one line whatever the title holds; the trailers are what findTaskCommit reads.
  const title = input.title.replace(/\s+/g, " ").trim();
  return `feat(milestone-${input.milestoneId}): Complete task: ${title}\n\nTask: ${input.taskId}\nMilestone: ${input.milestoneId}\n`;
}
