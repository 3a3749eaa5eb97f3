// Whether parsed milestone or config data is valid, answered without zod: loading zod costs
// about 60 ms at start-up and its parse of a 10,000-task file about 40 ms more, while almost
// every file is valid. A yes here means schema.ts accepts the data as it is (its schemas only
// check, never transform); a no means "ask schema.ts", which also says what is wrong and where.
// test/milestone/quick-check.test.ts checks that both judge alike.
import { DURATION_PATTERN } from "./duration.ts";
import { MILESTONE_STATUS_ALIASES, MILESTONE_STATUSES, ON_FAILURE_MODES, TASK_STATUSES, idProblem } from "./id-rules.ts";

type Check = (value: unknown) => boolean;
type Shape = Record<string, Check>;

/** schema.ts's milestoneSchema, as a yes/no. */
export function isValidMilestone(data: unknown): boolean {
  return MILESTONE(data);
}

/** schema.ts's configSchema, as a yes/no. */
export function isValidConfig(data: unknown): boolean {
  return CONFIG(data);
}

const isText: Check = (v) => typeof v === "string";
const isFilled: Check = (v) => typeof v === "string" && v.length > 0;
// zod's number() refuses NaN and ±Infinity; its int() wants a safe integer.
const isNumber: Check = (v) => typeof v === "number" && Number.isFinite(v);
const isBoolean: Check = (v) => typeof v === "boolean";
const isSafeId: Check = (v) => typeof v === "string" && idProblem(v) === null;
const isDuration: Check = (v) => (isNumber(v) && (v as number) > 0) || (typeof v === "string" && DURATION_PATTERN.test(v));
const isRetries: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 100;
const isEnv: Check = (v) => isMapping(v) && Object.values(v as object).every((x) => isText(x) || isNumber(x) || isBoolean(x));

const oneOf = (words: readonly string[]): Check => (v) => typeof v === "string" && words.includes(v);
const listOf = (item: Check, min = 0): Check => (v) => Array.isArray(v) && v.length >= min && v.every(item);
export const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
// Like zod's looseObject: the keys of `shape` are optional unless `required` names them, and
// keys it does not know pass unchecked.
const mapping = (shape: Shape, required: string[] = []): Check => {
  const entries = Object.entries(shape);
  return (v) => isMapping(v) && required.every((k) => v[k] !== undefined) && entries.every(([k, check]) => v[k] === undefined || check(v[k]));
};

const isOnFailure = oneOf(ON_FAILURE_MODES);
const isIsolation = oneOf(["worktree", "shared"]);
const isOnConflict = oneOf(["block", "agent"]);
const isCommand = listOf(isFilled, 1);

const CHECKS = mapping({
  test: isFilled,
  test_on: oneOf(["task", "interval"]),
  test_interval: isDuration,
  warn_after: isDuration,
  min_free_mb: (v) => isNumber(v) && (v as number) > 0,
  min_free_percent: (v) => isNumber(v) && (v as number) > 0 && (v as number) <= 100,
  interval: isDuration,
});

const TASK = mapping(
  {
    id: isSafeId,
    title: isFilled,
    description: isText,
    run: isFilled,
    agent: isFilled,
    dependencies: listOf(isSafeId),
    depends_on: listOf(isSafeId),
    timeout: isDuration,
    retries: isRetries,
    verify: isFilled,
    cwd: isFilled,
    env: isEnv,
    acceptance_criteria: listOf(isText),
    on_failure: isOnFailure,
    paths: listOf(isFilled),
    isolation: isIsolation,
    on_conflict: isOnConflict,
    status: oneOf(TASK_STATUSES),
    started_at: isText,
    completed_at: isText,
    commit: isText,
  },
  ["id", "title"],
);

const MILESTONE = mapping(
  {
    id: isSafeId,
    isolation: isIsolation,
    on_conflict: isOnConflict,
    title: isText,
    description: isText,
    status: oneOf([...MILESTONE_STATUSES, ...Object.keys(MILESTONE_STATUS_ALIASES)]),
    on_failure: isOnFailure,
    dependencies: mapping({ requires: listOf(isSafeId) }),
    defaults: mapping({ timeout: isDuration, retries: isRetries, cwd: isFilled, env: isEnv }),
    checks: CHECKS,
    tasks: listOf(TASK),
  },
  ["id", "tasks"],
);

const CONFIG = mapping({
  concurrency: (v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 1024,
  timeout: isDuration,
  retries: isRetries,
  on_failure: isOnFailure,
  agent: mapping({ command: isCommand }, ["command"]),
  checks: CHECKS,
  git: mapping({
    enabled: isBoolean,
    branch_prefix: isFilled,
    push: isBoolean,
    remote: isFilled,
    author: mapping({ name: isFilled, email: isFilled }, ["name", "email"]),
    checkpoint_interval: isDuration,
    checkpoint_files: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  }),
  isolation: isIsolation,
  on_conflict: isOnConflict,
  worktrees: mapping({ dir: isFilled, setup: isFilled }),
  notify: mapping({ command: isCommand }, ["command"]),
});
