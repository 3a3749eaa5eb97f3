// The executable plan: what a validated milestone file and the config mean for the engine.
// Plain JSON so it can live in machine context and snapshots.
import type { Isolation, OnFailure, TaskStatus } from "./schema.ts";

export type TaskCommand =
  | { kind: "shell"; script: string }
  /** argv of the configured agent command with the prompt appended as the last argument. */
  | { kind: "agent"; argv: string[] };

export interface PlanTask {
  id: string;
  title: string;
  /** Position in the file's `tasks:` list, for write-back. */
  index: number;
  /** Ids of the tasks this one waits for (`dependencies` and `depends_on`, de-duplicated). */
  deps: string[];
  command: TaskCommand;
  verify: string | null;
  /** Absolute working directory. */
  cwd: string;
  /** Overrides merged over the inherited environment; never logged. */
  env: Record<string, string>;
  timeoutMs: number | null;
  /** Extra attempts after the first. */
  retries: number;
  /** After the last attempt failed: block the milestone (the default) or fail it. */
  onFailure: OnFailure;
  /** Globs of the files the task's commit may hold; absent: every change in the work tree. */
  paths?: string[];
  /** In a git repository: a worktree of its own, or the person's checkout (alone, uncommitted). */
  isolation: Isolation;
  /** With `on_conflict: agent`: the agent command (argv without a prompt) that resolves a
   *  conflicting merge in the task's worktree; absent: a conflict blocks. */
  resolver?: string[];
  /** Status in the file when loaded. */
  status: TaskStatus;
}

export interface Plan {
  milestoneId: string;
  title: string;
  /** Absolute path of the milestone file. */
  file: string;
  requires: string[];
  tasks: PlanTask[];
}
