// `worktrees.setup` (e.g. `npm ci`): run once in each new worktree, before its first task, with
// its output in a log file. A failure is the project's set-up, not the task's: the run blocks.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { GitError } from "./git-error.ts";
import { cleanGitEnv } from "./run-git.ts";

export async function runSetup(command: string, cwd: string, logFile: string): Promise<void> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, "w");
  try {
    const code = await new Promise<number | string>((resolve) => {
      const child = spawn("sh", ["-c", command], { cwd, env: cleanGitEnv(), stdio: ["ignore", log, log] });
      child.on("error", (error) => resolve(error.message));
      child.on("close", (exitCode, signal) => resolve(exitCode ?? `killed by ${signal}`));
    });
    if (code === 0) return;
    throw new GitError(
      `worktrees.setup '${command}' failed in a new worktree (${typeof code === "number" ? `exit code ${code}` : code}); its output is in ${logFile}`,
      "setup_failed",
      "fix worktrees.setup in .milestones/config.yaml (or what it needs), then run resume",
    );
  } finally {
    fs.closeSync(log);
  }
}
