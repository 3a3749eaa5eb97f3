// Locates the git work tree that holds a project directory, as git itself does
// (`git rev-parse`): the main work tree or a linked one (`git worktree add`), never a bare
// repository. One process per run.
import fs from "node:fs";
import path from "node:path";
import { runGit } from "./run-git.ts";

/** A non-bare repository: `dir` is the work tree root (the person's checkout), `gitdir` the git
 *  directory shared by all its worktrees (refs, objects, config), `worktreeGitdir` this work
 *  tree's own (its HEAD and index). Absolute, real paths. */
export interface GitRepo {
  dir: string;
  gitdir: string;
  worktreeGitdir: string;
}

/** The work tree containing `projectDir`, or null when there is none (or only a bare repository). */
export async function findRepository(projectDir: string): Promise<GitRepo | null> {
  if (!insideRepository(projectDir)) return null;
  const cwd = fs.realpathSync(path.resolve(projectDir));
  const r = await runGit(["rev-parse", "--is-bare-repository", "--is-inside-work-tree", "--show-toplevel", "--absolute-git-dir", "--git-common-dir"], {
    cwd,
    okCodes: [0, 128],
  });
  if (r.code !== 0) return null;
  const [bare, inside, top, gitdir, common] = r.stdout.trim().split("\n");
  if (bare === "true" || inside !== "true" || !top) return null;
  return { dir: fs.realpathSync(top), gitdir: fs.realpathSync(path.resolve(cwd, common)), worktreeGitdir: fs.realpathSync(gitdir) };
}

/** Whether a `.git` (directory or file) is in the folder or above it, asked without git: a
 *  project outside any repository runs no git at all (a Deno run there needs no --allow-run). */
export function insideRepository(dir: string): boolean {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (readableEntry(path.join(at, ".git"))) return true;
    if (path.dirname(at) === at) return false;
  }
}

// Deno with --allow-read narrowed to the project may not look above it: a repository there
// cannot be used anyway (its .git is outside the permission), so it counts as none.
function readableEntry(file: string): boolean {
  try {
    return fs.statSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    if ((error as Error).name === "NotCapable" || (error as NodeJS.ErrnoException).code === "EACCES") return false;
    throw error;
  }
}
