// Removes what runs of a milestone left in the repository: its task worktrees and its task
// branches (`<branch>+<task>`). The milestone branch itself, which holds the landed work, stays.
import type { GitRepo } from "./find-repository.ts";
import { runGit } from "./run-git.ts";
import { WorktreePool } from "./worktree-pool.ts";

export interface Cleaned {
  /** Worktree paths removed. */
  worktrees: string[];
  /** Task branches deleted, each with the commit it pointed at (to bring it back). */
  branches: Array<{ branch: string; sha: string }>;
}

/** `root`: the folder of the milestone's worktrees; `branch`: the milestone branch. */
export async function cleanMilestone(repo: GitRepo, root: string, branch: string): Promise<Cleaned> {
  const pool = new WorktreePool(repo, { root, taskBranch: (t) => `${branch}+${t}`, setup: null, setupLog: () => "", projectPath: "" }, () => {});
  await pool.load();
  const worktrees = await pool.removeAll();
  const listed = await runGit(["for-each-ref", "--format=%(refname) %(objectname)", `refs/heads/${branch}+*`], { cwd: repo.dir });
  const branches = listed.stdout.split("\n").filter(Boolean).map((line) => {
    const [ref, sha] = line.split(" ");
    return { branch: ref.replace(/^refs\/heads\//, ""), sha };
  });
  if (branches.length) await runGit(["update-ref", "--stdin"], { cwd: repo.dir, input: branches.map((b) => `delete refs/heads/${b.branch} ${b.sha}\n`).join("") });
  return { worktrees, branches };
}
