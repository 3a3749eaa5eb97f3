// `.worktreeinclude` at the repository root (the convention of Claude Code, Codex and others):
// gitignore-style patterns of ignored files (`.env`, local keys) that a new worktree needs and a
// checkout does not bring. git lists the matches; only files git also ignores are copied.
import fs from "node:fs";
import path from "node:path";
import { runGit } from "./run-git.ts";

export const INCLUDE_FILE = ".worktreeinclude";

/** Copies the included files from the person's checkout into a new worktree; returns how many. */
export async function copyIncluded(repoDir: string, worktree: string): Promise<number> {
  if (!fs.existsSync(path.join(repoDir, INCLUDE_FILE))) return 0;
  const list = async (...exclude: string[]) =>
    (await runGit(["ls-files", "--others", "--ignored", "-z", ...exclude], { cwd: repoDir })).stdout.split("\0").filter(Boolean);
  const ignored = new Set(await list("--exclude-standard"));
  const wanted = (await list(`--exclude-from=${INCLUDE_FILE}`)).filter((f) => ignored.has(f) && !f.startsWith(".milestones/"));
  for (const file of wanted) {
    const to = path.join(worktree, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(repoDir, file), to);
    fs.chmodSync(to, fs.statSync(path.join(repoDir, file)).mode);
  }
  return wanted.length;
}
