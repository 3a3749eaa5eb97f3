// The real git CLI, for setting up test repositories and checking what the engine committed.
import { spawnSync } from "node:child_process";
import { makeProject } from "./cli.ts";

/** Runs git in `dir`; throws with its stderr when it fails, unless `allowFailure`. */
export function git(dir: string, args: string[], options: { allowFailure?: boolean } = {}): string {
  const r = spawnSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_DATE: undefined, GIT_COMMITTER_DATE: undefined, GIT_CONFIG_NOSYSTEM: "1" },
  });
  if (r.status !== 0 && !options.allowFailure) throw new Error(`git ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/** A temp project that is a git work tree on `main` with its files in one first commit. */
export function makeGitProject(files: Record<string, string>): string {
  const project = makeProject(files);
  git(project, ["init", "-q", "-b", "main"]);
  git(project, ["config", "user.name", "Test Author"]);
  git(project, ["config", "user.email", "author@example.test"]);
  git(project, ["add", "-A"]);
  git(project, ["commit", "-q", "-m", "initial"]);
  return project;
}

/** Commits of `range` (oldest first) with their subject, Task trailer and changed files. */
export function commitsOf(project: string, range: string): Array<{ sha: string; subject: string; task: string; files: string[] }> {
  const shas = git(project, ["rev-list", "--reverse", range]).split("\n").filter(Boolean);
  return shas.map((sha) => ({
    sha,
    subject: git(project, ["log", "-1", "--format=%s", sha]),
    task: git(project, ["log", "-1", "--format=%(trailers:key=Task,valueonly)", sha]).trim(),
    files: git(project, ["show", "--name-only", "--format=", sha]).split("\n").filter(Boolean).sort(),
  }));
}
