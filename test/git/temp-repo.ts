// Real repositories for the git library's tests: made, changed and checked with the git CLI, so
// that every assertion is about what git itself sees, not about what our code believes it wrote.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach } from "vitest";
import { findRepository, type GitRepo } from "../../src/git/find-repository.ts";

export const author = { name: "Task Bot", email: "bot@example.test" };

/** git in `dir`, isolated from the machine's global and system config; stdout without the final newline. */
export function git(dir: string, args: string[], options: { allowFailure?: boolean } = {}): string {
  const r = spawnSync("git", args, { cwd: dir, encoding: "utf8", env: gitEnv() });
  if (r.status !== 0 && !options.allowFailure) throw new Error(`git ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout.replace(/\n$/, "");
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), "mm-git-home-"));
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), GIT_CONFIG_NOSYSTEM: "1" };
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"]) delete env[name];
  return env;
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

/** A temp work tree on `main` with `files` in a first commit (none: an unborn HEAD). */
export function makeRepo(files: Record<string, string> = { "README.md": "hello\n" }): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mm-git-")));
  made.push(dir);
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["config", "user.name", "Repo Owner"]);
  git(dir, ["config", "user.email", "owner@example.test"]);
  if (Object.keys(files).length === 0) return dir;
  writeFiles(dir, files);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "initial"]);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

export async function repoAt(dir: string): Promise<GitRepo> {
  const repo = await findRepository(dir);
  if (!repo) throw new Error(`no repository at ${dir}`);
  return repo;
}

/** Files changed by a commit, as git lists them. */
export const filesOf = (dir: string, sha: string) => git(dir, ["show", "--name-only", "--format=", sha]).split("\n").filter(Boolean).sort();
export const status = (dir: string) => git(dir, ["status", "--porcelain", "--untracked-files=all"]);
export const commitCount = (dir: string, ref = "HEAD") => Number(git(dir, ["rev-list", "--count", ref]));

/** `git fsck --strict` output; throws (failing the test) when git finds the repository broken. */
export const fsck = (dir: string) => git(dir, ["fsck", "--strict", "--no-progress"]);
