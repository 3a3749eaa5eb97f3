// A task's `paths:` globs (relative to the project directory, which may sit below the work tree
// root) as git pathspecs: `*` and `?` stay within a directory, `**` spans any number, and a
// pattern also covers everything below the directory it names (`out/`, `docs`). No `paths`: the
// whole work tree, as `git add -A` does. The engine's own `.milestones/` is never part of it.
import path from "node:path";
import { GitError } from "./git-error.ts";

/** `projectPath`: the project directory relative to the work tree root ("" at the root). */
export function taskPathspecs(projectPath: string, paths?: string[]): string[] {
  const inProject = (glob: string) => {
    const joined = path.posix.normalize(path.posix.join(projectPath || ".", glob)).replace(/\/+$/, "");
    if (joined === ".." || joined.startsWith("../") || path.posix.isAbsolute(glob)) {
      throw new GitError(`path '${glob}' is outside the work tree`, "bad_path", "task paths are globs relative to the project directory, such as src/**/*.ts");
    }
    return joined;
  };
  const scope = paths ? paths.map((glob) => `:(top,glob)${inProject(glob)}`) : [":(top)"];
  return [...scope, `:(top,exclude)${inProject(".milestones")}`];
}
