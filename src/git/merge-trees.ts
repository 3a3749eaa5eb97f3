// A three-way merge of two commits without a checkout: `git merge-tree --write-tree` writes the
// merged tree into the object store and names the conflicting files, touching no work tree.
import type { GitRepo } from "./find-repository.ts";
import { runGit } from "./run-git.ts";

export type TreeMerge = { clean: true; tree: string } | { clean: false; files: string[] };

/** Merges `theirs` into `ours` (their merge base from history). */
export async function mergeTrees(repo: GitRepo, ours: string, theirs: string): Promise<TreeMerge> {
  const r = await runGit(["merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", ours, theirs], { cwd: repo.dir, okCodes: [0, 1] });
  // -z: the tree, then each conflicted path, NUL-terminated (--no-messages drops the rest).
  const [tree, ...files] = r.stdout.split("\0").filter(Boolean);
  if (r.code === 0) return { clean: true, tree };
  return { clean: false, files: [...new Set(files)] };
}
