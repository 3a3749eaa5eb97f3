// How much work is not committed yet: the files whose content in the work tree differs from the
// HEAD commit (untracked ones included, ignored ones not), for checkpoints and the status view.
import { resolveOrNull } from "./branch-tip.ts";
import type { GitRepo } from "./find-repository.ts";
import { pathScope } from "./path-scope.ts";
import { planChanges } from "./plan-changes.ts";
import { serialized } from "./repo-state.ts";

export interface UncommittedOptions {
  /** Base of `exclude`; the work tree root by default. */
  projectDir?: string;
  exclude?: string[];
}

/** Work-tree-relative paths that a commit of everything would change. */
export function uncommittedFiles(repo: GitRepo, options: UncommittedOptions = {}): Promise<string[]> {
  return serialized(repo, async () => {
    const scope = pathScope(repo, options.projectDir ?? repo.dir, undefined, options.exclude);
    const plan = await planChanges(repo, scope, await resolveOrNull(repo, "HEAD"));
    return plan.diff.files;
  });
}

export async function uncommittedCount(repo: GitRepo, options: UncommittedOptions = {}): Promise<number> {
  return (await uncommittedFiles(repo, options)).length;
}
