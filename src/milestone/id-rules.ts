// The rules for milestone and task ids and the file's status words, without zod: `status`,
// `list` and the id check of every command need them, and loading zod costs more than they do.
// schema.ts builds its zod rules from these; test/milestone/id-rules.test.ts checks they agree.

/** Ids of milestones and tasks: safe as file names and in git branch names, no path separators,
 *  no spaces; never the name of another milestone's files (`logs/<id>/` beside
 *  `logs/execution-<id>.jsonl`, `sessions/<id>.lock`) nor a name git refuses for a branch (`..`,
 *  a trailing `.` or `.lock`). */
export const ID_PATTERN = /^(?!.*\.\.)(?!.*\.(?:lock|jsonl)$)[A-Za-z0-9][A-Za-z0-9._-]*(?<!\.)$/;
export const ID_MAX_LENGTH = 64;
export const ID_TOO_LONG = `must be at most ${ID_MAX_LENGTH} characters`;
export const ID_BAD_CHARACTERS =
  "must start with a letter or digit, use only letters, digits, '.', '_' and '-', and neither contain '..' nor end in '.', '.lock' or '.jsonl'";

/** Why `id` is not a safe id (the message zod's safeId gives first), or null if it is one. */
export function idProblem(id: string): string | null {
  if (id.length > ID_MAX_LENGTH) return ID_TOO_LONG;
  return ID_PATTERN.test(id) ? null : ID_BAD_CHARACTERS;
}

export const TASK_STATUSES = ["pending", "in_progress", "completed", "failed", "blocked", "skipped", "cancelled"] as const;
export const MILESTONE_STATUSES = ["planned", "in_progress", "paused", "blocked", "completed", "failed", "cancelled"] as const;
/** Status words of the older bash workflow, read as their modern equivalents (with a warning). */
export const MILESTONE_STATUS_ALIASES = { planning: "planned", active: "in_progress" } as const;
/** What a task that fails for good does to its milestone (schema.ts's onFailure). */
export const ON_FAILURE_MODES = ["block", "fail", "continue"] as const;
