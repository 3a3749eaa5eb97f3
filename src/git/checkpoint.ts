// Checkpoint commits: while tasks run, everything uncommitted is committed once more than
// `minFiles` files have piled up, so that a crash loses at most one checkpoint interval of work.
import { commitChanges } from "./commit-changes.ts";
import type { GitRepo } from "./find-repository.ts";
import { pathScope } from "./path-scope.ts";

export interface CheckpointInput {
  milestoneId: string;
  projectDir: string;
  author: { name: string; email: string };
  /** Commit only when more than this many files differ from the branch tip. */
  minFiles: number;
  branch: string;
  /** Globs relative to projectDir never committed (as in CommitTaskInput). */
  exclude?: string[];
}

/** `files` is how many files were (or, below the threshold, would have been) committed. */
export async function checkpoint(repo: GitRepo, input: CheckpointInput): Promise<{ sha: string | null; files: number }> {
  const scope = pathScope(repo, input.projectDir, undefined, input.exclude);
  const message = `checkpoint(milestone-${input.milestoneId}): auto-commit during execution\n\nMilestone: ${input.milestoneId}\n`;
  const { sha, files } = await commitChanges(repo, { scope, message, author: input.author, branch: input.branch, minFiles: input.minFiles });
  return { sha, files: files.length };
}
