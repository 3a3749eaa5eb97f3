// Locates the git work tree that holds a project directory, the way `git rev-parse --show-toplevel`
// does: walk up until a directory holds `.git` (a directory, or a file naming the git dir).
import fs from "node:fs";
import path from "node:path";
import { GitError } from "./git-error.ts";

/** A non-bare repository: `dir` is the work tree root, `gitdir` its git directory (both absolute, real paths). */
export interface GitRepo {
  dir: string;
  gitdir: string;
}

/** The work tree containing `projectDir`, or null when there is none (or only a bare repository). */
export async function findRepository(projectDir: string): Promise<GitRepo | null> {
  let dir = fs.realpathSync(path.resolve(projectDir));
  for (;;) {
    const gitdir = gitdirOf(dir);
    if (gitdir) return isBare(gitdir) ? null : { dir, gitdir };
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function gitdirOf(dir: string): string | null {
  const dotgit = path.join(dir, ".git");
  const stat = statOutsidePermissions(dotgit);
  if (!stat) return null;
  if (stat.isDirectory()) return dotgit;
  // A submodule or linked work tree: `.git` is a file saying `gitdir: <path>`.
  const match = /^gitdir: (.+)$/m.exec(fs.readFileSync(dotgit, "utf8"));
  if (!match) return null;
  const gitdir = fs.realpathSync(path.resolve(dir, match[1].trim()));
  // Linked work trees keep their refs in a shared "common" dir, which isomorphic-git does not read.
  if (fs.existsSync(path.join(gitdir, "commondir"))) {
    throw new GitError(
      `${dir} is a linked work tree (git worktree add), which isomorphic-git cannot commit in`,
      "unsupported",
      "run milestone-machine in the main work tree, or in a separate clone",
    );
  }
  return gitdir;
}

// Deno with --allow-read narrowed to the project may not look above it: a repository there
// cannot be committed to anyway (its .git is outside the permission), so it counts as none.
function statOutsidePermissions(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as Error).name === "NotCapable" || (error as NodeJS.ErrnoException).code === "EACCES") return undefined;
    throw error;
  }
}

// `git init --separate-git-dir` style layouts aside, a `.git` dir marked core.bare has no work tree.
function isBare(gitdir: string): boolean {
  const config = path.join(gitdir, "config");
  return fs.existsSync(config) && /^\s*bare\s*=\s*true\s*$/im.test(fs.readFileSync(config, "utf8"));
}
