// The git agent's settings for one run: config.yaml's `git:` block with the command line's
// --no-git and --push over it, every default filled in.
import { durationMs } from "../milestone/duration.ts";
import path from "node:path";
import type { GitConfig, WorktreesConfig } from "../milestone/schema.ts";

export interface GitSettings {
  /** Why the run makes no commits, or null when it does (if the project is a work tree). */
  off: "--no-git" | "git.enabled is false in config.yaml" | null;
  branchPrefix: string;
  push: boolean;
  remote: string;
  author?: { name: string; email: string };
  checkpointIntervalMs: number | null;
  /** A checkpoint commits only when more than this many files are uncommitted. */
  checkpointFiles: number;
}

export const GIT_DEFAULTS = { branchPrefix: "milestone/", remote: "origin", checkpointIntervalMs: 300_000, checkpointFiles: 10 } as const;

export function resolveGitSettings(config: GitConfig | undefined, flags: { noGit?: boolean; push?: boolean }): GitSettings {
  const c = config ?? {};
  return {
    off: flags.noGit ? "--no-git" : c.enabled === false ? "git.enabled is false in config.yaml" : null,
    branchPrefix: c.branch_prefix ?? GIT_DEFAULTS.branchPrefix,
    push: flags.push ?? c.push ?? false,
    remote: c.remote ?? GIT_DEFAULTS.remote,
    ...(c.author ? { author: { name: c.author.name, email: c.author.email } } : {}),
    checkpointIntervalMs: c.checkpoint_interval === undefined ? GIT_DEFAULTS.checkpointIntervalMs : durationMs(c.checkpoint_interval),
    checkpointFiles: c.checkpoint_files ?? GIT_DEFAULTS.checkpointFiles,
  };
}

/** Where the task worktrees live (`worktrees.dir`, relative to the project; default
 *  `defaultDir`, the layout's) and the command that sets up a new one. */
export function resolveWorktrees(config: WorktreesConfig | undefined, projectDir: string, defaultDir: string): { dir: string; setup: string | null } {
  return { dir: config?.dir ? path.resolve(projectDir, config.dir) : defaultDir, setup: config?.setup ?? null };
}
