// The one source of truth for every file format milestone-machine reads: the milestone file,
// `.milestones/config.yaml`, and the status values both share. Types are inferred from here.
// The schemas describe shape only (no transforms) so that `milestone-machine schema` can export
// them as JSON Schema; turning a valid file into an executable plan happens in plan.ts.
import { z } from "zod";
import { DURATION_PATTERN } from "./duration.ts";
import {
  ID_BAD_CHARACTERS, ID_MAX_LENGTH, ID_PATTERN, ID_TOO_LONG, MILESTONE_STATUS_ALIASES, MILESTONE_STATUSES, ON_FAILURE_MODES, TASK_STATUSES,
} from "./id-rules.ts";

export { ID_PATTERN, ID_MAX_LENGTH, MILESTONE_STATUS_ALIASES } from "./id-rules.ts";
export { DURATION_PATTERN } from "./duration.ts";

/** Ids of milestones and tasks: safe as file names, no path separators, no spaces (id-rules.ts). */
export const safeId = z.string().max(ID_MAX_LENGTH, ID_TOO_LONG).regex(ID_PATTERN, ID_BAD_CHARACTERS);

/** `90s`, `30m`, `1h`, `250ms`, or a number of seconds. */
export const duration = z.union([
  z.number().positive(),
  z.string().regex(DURATION_PATTERN, "must be a duration such as 90s, 30m or 1h"),
]);

export const milestoneStatus = z.enum(MILESTONE_STATUSES);
const milestoneStatusInput = z.union([
  milestoneStatus,
  z.enum(Object.keys(MILESTONE_STATUS_ALIASES) as ["planning", "active"]),
]);

export const taskStatus = z.enum(TASK_STATUSES);

const stringList = z.array(z.string());
/** What a task that fails for good does to its milestone: block it for a person, fail it, or
 *  carry on as if it had been skipped (its dependents run, the milestone can complete). */
export const onFailure = z.enum(ON_FAILURE_MODES);
const envMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
const WHOLE_NUMBER = "must be a whole number ≥ 0";
const retries = z.number().int(WHOLE_NUMBER).min(0, WHOLE_NUMBER).max(100, "must be at most 100");
/** Where a task runs in a git repository: a worktree of its own (the default), or the person's
 *  checkout (`shared`: alone, never beside another task, and not committed). */
export const isolation = z.enum(["worktree", "shared"]);
/** A task whose work does not merge: block for a person (the default), or hand the conflict to
 *  the agent command in the task's worktree, then verify and merge again. */
export const onConflict = z.enum(["block", "agent"]);

export const taskSchema = z.looseObject({
  id: safeId,
  title: z.string().min(1, "must not be empty"),
  description: z.string().optional(),
  run: z.string().min(1, "must not be empty").optional(),
  agent: z.string().min(1, "must not be empty").optional(),
  dependencies: z.array(safeId).optional(),
  depends_on: z.array(safeId).optional(),
  timeout: duration.optional(),
  retries: retries.optional(),
  verify: z.string().min(1).optional(),
  cwd: z.string().min(1).optional(),
  env: envMap.optional(),
  acceptance_criteria: stringList.optional(),
  on_failure: onFailure.optional(),
  /** Globs (relative to the project) of the files this task may change: its commit holds only those. */
  paths: z.array(z.string().min(1, "must not be empty")).optional(),
  isolation: isolation.optional(),
  on_conflict: onConflict.optional(),
  status: taskStatus.optional(),
  started_at: z.string().optional(),
  completed_at: z.string().optional(),
  /** ✎ sha of the task's commit on the milestone branch. */
  commit: z.string().optional(),
});

/** Blocker probes (DESIGN §3 blockers agent); in config.yaml, overridden per milestone. */
export const checksSchema = z.looseObject({
  /** Shell command whose failure is a blocker, e.g. `npm test`. */
  test: z.string().min(1, "must not be empty").optional(),
  /** When the test command runs: after each completed task (default) or every `test_interval`. */
  test_on: z.enum(["task", "interval"]).optional(),
  test_interval: duration.optional(),
  /** Warn about (and block on) a task without `timeout` running longer than this; default 1h. */
  warn_after: duration.optional(),
  /** Block when the project's filesystem has less free space than this (default: 10 %). */
  min_free_mb: z.number().positive().optional(),
  min_free_percent: z.number().positive().max(100).optional(),
  /** How often the disk and git-conflict probes run; default 120s. */
  interval: duration.optional(),
});

export const gitSchema = z.looseObject({
  /** false: never touch git, as with --no-git. */
  enabled: z.boolean().optional(),
  /** The milestone branch is `<branch_prefix><id>`; default `milestone/`. */
  branch_prefix: z.string().min(1).optional(),
  /** Push the milestone branch to `remote` after completion (as with --push). */
  push: z.boolean().optional(),
  remote: z.string().min(1).optional(),
  author: z.looseObject({ name: z.string().min(1), email: z.string().min(1) }).optional(),
  /** Checkpoint commits: every `checkpoint_interval`, when more than `checkpoint_files` files are uncommitted. */
  checkpoint_interval: duration.optional(),
  checkpoint_files: z.number().int().min(0).optional(),
});

/** The task worktrees (DESIGN §4). */
export const worktreesSchema = z.looseObject({
  /** Folder of the worktrees, relative to the project; default `.milestones/worktrees`. */
  dir: z.string().min(1, "must not be empty").optional(),
  /** Shell command run once in each new worktree before its first task, e.g. `npm ci`. */
  setup: z.string().min(1, "must not be empty").optional(),
});

export const milestoneSchema = z.looseObject({
  id: safeId,
  isolation: isolation.optional(),
  on_conflict: onConflict.optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  status: milestoneStatusInput.optional(),
  on_failure: onFailure.optional(),
  dependencies: z
    .looseObject({ requires: z.array(safeId).optional() })
    .optional(),
  defaults: z
    .looseObject({
      timeout: duration.optional(),
      retries: retries.optional(),
      cwd: z.string().min(1).optional(),
      env: envMap.optional(),
    })
    .optional(),
  checks: checksSchema.optional(),
  tasks: z.array(taskSchema),
});

export const configSchema = z.looseObject({
  concurrency: z.number().int().min(1).max(1024).optional(),
  timeout: duration.optional(),
  retries: retries.optional(),
  on_failure: onFailure.optional(),
  agent: z
    .looseObject({
      command: z.array(z.string().min(1)).min(1, "must name at least the program to run"),
    })
    .optional(),
  checks: checksSchema.optional(),
  git: gitSchema.optional(),
  isolation: isolation.optional(),
  on_conflict: onConflict.optional(),
  worktrees: worktreesSchema.optional(),
  /** Run when a milestone blocks, with the blockers as JSON on stdin. */
  notify: z
    .looseObject({
      command: z.array(z.string().min(1)).min(1, "must name at least the program to run"),
    })
    .optional(),
});

export type MilestoneFile = z.infer<typeof milestoneSchema>;
export type TaskFile = z.infer<typeof taskSchema>;
export type ConfigFile = z.infer<typeof configSchema>;
export type MilestoneStatus = z.infer<typeof milestoneStatus>;
export type TaskStatus = z.infer<typeof taskStatus>;
export type OnFailure = z.infer<typeof onFailure>;
export type ChecksConfig = z.infer<typeof checksSchema>;
export type GitConfig = z.infer<typeof gitSchema>;
export type Isolation = z.infer<typeof isolation>;
export type OnConflict = z.infer<typeof onConflict>;
export type WorktreesConfig = z.infer<typeof worktreesSchema>;
