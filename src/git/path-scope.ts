// Turns a task's `paths:` globs (relative to the project directory, which may sit below the work
// tree root) into work-tree-relative roots to scan and a test for single paths, so that a task
// declaring `src/**/*.ts` costs a walk of `src/`, not of the whole tree.
import fs from "node:fs";
import path from "node:path";
import type { GitRepo } from "./find-repository.ts";
import { GitError } from "./git-error.ts";
import { globToRegex } from "./ignore-rules.ts";

export interface PathScope {
  /** Work-tree-relative directories or files to scan; [""] is the whole tree. */
  roots: string[];
  /** Whether a work-tree-relative path is in scope. */
  includes(relPath: string): boolean;
  /** False when `paths` narrowed the scope: then the commit must hold only in-scope changes. */
  whole: boolean;
}

/**
 * `paths` are globs where `*` and `?` stay within a directory and `**` spans any number of them;
 * a pattern also covers everything below the directory it names (`out/`, `docs`). No `paths`
 * means the whole work tree, as `git add -A` does. `exclude` (same syntax) is taken out of either.
 */
export function pathScope(repo: GitRepo, projectDir: string, paths?: string[], exclude: string[] = []): PathScope {
  const prefix = path.relative(repo.dir, fs.realpathSync(projectDir)).split(path.sep).join("/");
  if (prefix === ".." || prefix.startsWith("../") || path.isAbsolute(prefix)) throw new GitError(`${projectDir} is outside the work tree ${repo.dir}`, "bad_path");
  const resolve = (glob: string) => {
    const joined = path.posix.normalize(path.posix.join(prefix, glob)).replace(/\/+$/, "");
    if (joined === ".." || joined.startsWith("../") || path.posix.isAbsolute(glob)) {
      throw new GitError(`path '${glob}' is outside the work tree ${repo.dir}`, "bad_path",
        "task paths are globs relative to the project directory, such as src/**/*.ts");
    }
    return joined === "." ? "" : joined;
  };
  const toTest = (globs: string[]) => globs.map((g) => resolve(g)).map((g) => new RegExp(`^${g === "" ? "" : `${globToRegex(g)}(?:/|$)`}`));
  const included = paths ? toTest(paths) : null;
  const excluded = toTest(exclude);
  return {
    roots: paths ? outermost(paths.map((g) => literalRoot(resolve(g)))) : [""],
    includes: (p) => (!included || included.some((re) => re.test(p))) && !excluded.some((re) => re.test(p)),
    whole: !paths && exclude.length === 0,
  };
}

// The directories before the first segment with a wildcard: nothing outside them can match.
function literalRoot(glob: string): string {
  const segments = glob.split("/");
  const wild = segments.findIndex((s) => /[*?[\\]/.test(s));
  return (wild < 0 ? segments : segments.slice(0, wild)).join("/");
}

function outermost(roots: string[]): string[] {
  if (roots.includes("")) return [""];
  const sorted = [...new Set(roots)].sort();
  return sorted.filter((r, i) => !sorted.slice(0, i).some((o) => r.startsWith(`${o}/`)));
}
