// The one way this project runs git: the git CLI as a child process, with the variables that
// would point it at another repository (a hook's GIT_DIR, an editor's GIT_INDEX_FILE) removed,
// messages in English so that they can be quoted, and never a prompt for a password.
import { spawn } from "node:child_process";
import { GitError } from "./git-error.ts";

export interface GitCall {
  /** Where git runs (a work tree, or a linked worktree of the run). */
  cwd: string;
  /** Variables set over the cleaned environment (author and committer, for commits). */
  env?: Record<string, string>;
  /** Written to git's standard input (`update-ref --stdin`). */
  input?: string;
  /** Exit codes that are answers, not failures (merge-tree's 1: conflicts). */
  okCodes?: number[];
}

export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
}

// Set by whoever ran us (a hook, an IDE): each would send git to another repository or index.
const REPOSITORY_VARIABLES = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_NAMESPACE"];

/** The environment git (and a task in a worktree) gets: ours without the repository variables. */
export function cleanGitEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !REPOSITORY_VARIABLES.includes(k)) env[k] = v;
  return env;
}

/**
 * Runs `git args…` and resolves with its output; rejects with a GitError naming the command and
 * git's own message when it exits with a code not in `okCodes`.
 * @example
 * const { stdout } = await runGit(["rev-parse", "HEAD"], { cwd: repo.dir });
 */
export function runGit(args: string[], call: GitCall): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: call.cwd,
      env: { ...cleanGitEnv(), LC_ALL: "C", GIT_TERMINAL_PROMPT: "0", ...call.env },
      stdio: [call.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (d: Buffer) => out.push(d));
    child.stderr!.on("data", (d: Buffer) => err.push(d));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new GitError("git is not installed (no 'git' on the PATH)", "no_git", "install git 2.38 or newer, or run with --no-git")
          : new GitError(`could not run git ${args[0]}: ${error.message}`, "git_failed"),
      );
    });
    if (call.input !== undefined) child.stdin!.end(call.input);
    child.on("close", (code) => {
      const result = { code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
      if ((call.okCodes ?? [0]).includes(result.code)) return resolve(result);
      const said = result.stderr.trim().split("\n").filter(Boolean).slice(-3).join("; ") || `exit code ${result.code}`;
      reject(new GitError(`git ${args.slice(0, 2).join(" ")} failed in ${call.cwd}: ${said}`, "git_failed"));
    });
  });
}

/** runGit's standard output with the trailing newline removed. */
export async function gitLine(args: string[], call: GitCall): Promise<string> {
  return (await runGit(args, call)).stdout.replace(/\n$/, "");
}
