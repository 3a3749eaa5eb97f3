// Editing the milestone file while it runs: validate the new text exactly as `execute` would,
// then work out what of the edit may take effect. Only tasks that have not started take edits:
// a completed task is never rewritten, a running one is not changed under its feet.
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { InputError, type Problem } from "../errors.ts";
import { displayPath } from "../store/display-path.ts";
import { completeMilestone, parseMilestoneText, quickSchemaResult, type LoadedMilestone } from "./read-milestone.ts";
import type { SchemaResult } from "./schema-problems.ts";
import { buildPlan, type PlanOverrides } from "./plan.ts";
import type { Plan, PlanTask } from "./plan-types.ts";
import type { ConfigFile, MilestoneFile, TaskStatus } from "./schema.ts";
import { findCycle } from "./task-graph.ts";

export interface PlanDiff {
  /** Tasks new in the file. */
  added: PlanTask[];
  /** Tasks not started yet whose definition changed, as the file now defines them. */
  changed: PlanTask[];
  /** Edits that do not take effect, each with the reason to tell the user. */
  ignored: Array<{ taskId: string; reason: string }>;
  /** Ids of tasks not started yet that the file no longer has. */
  removed: string[];
  /** Why the edit as a whole cannot be applied; when any, apply none of it. */
  problems: string[];
  /** The plan to go on with: the file's tasks in its order and with its indices, except that a
   *  task that has started keeps its current definition. Tasks removed from the file are gone. */
  plan: Plan;
}

export type EditedPlan =
  | { ok: true; plan: Plan; loaded: LoadedMilestone }
  | { ok: false; problems: Problem[] }
  /** The quick check refused the text and the schema module (zod) is still loading to say why:
   *  ask again once `ready` settles. */
  | { ok: "later"; ready: Promise<void> };

// load-milestone.ts's schema check, loaded the first time an edit fails the quick check: a run
// whose file is never edited badly never loads zod.
let schemaCheck: ((parsed: ReturnType<typeof parseMilestoneText>) => SchemaResult<MilestoneFile>) | null = null;

/** What applying `next` to a run of `current` changes; `statusById` holds the live statuses. */
export function diffPlan(current: Plan, next: Plan, statusById: ReadonlyMap<string, TaskStatus>): PlanDiff {
  const before = new Map(current.tasks.map((t) => [t.id, t]));
  const after = new Set(next.tasks.map((t) => t.id));
  const statusOf = (t: PlanTask) => statusById.get(t.id) ?? t.status;
  const diff: PlanDiff = { added: [], changed: [], ignored: [], removed: [], problems: [], plan: { ...next, tasks: [] } };

  for (const task of next.tasks) {
    const old = before.get(task.id);
    if (!old) {
      diff.added.push(task);
      diff.plan.tasks.push(task);
    } else if (sameDefinition(old, task)) {
      diff.plan.tasks.push({ ...old, index: task.index });
    } else if (statusOf(old) === "pending") {
      diff.changed.push(task);
      diff.plan.tasks.push(task);
    } else {
      diff.ignored.push({ taskId: task.id, reason: `task '${task.id}' is ${statusOf(old)}: ${WHY_NOT[statusOf(old)]}` });
      diff.plan.tasks.push({ ...old, index: task.index });
    }
  }
  for (const old of current.tasks) {
    if (after.has(old.id)) continue;
    if (statusOf(old) === "pending") diff.removed.push(old.id);
    else diff.ignored.push({ taskId: old.id, reason: `task '${old.id}' was removed from the file but is already ${statusOf(old)}: removing it neither stops nor undoes it` });
  }
  if (next.milestoneId !== current.milestoneId) diff.problems.push(`the milestone id changed from '${current.milestoneId}' to '${next.milestoneId}'`);
  diff.problems.push(...dependencyProblems(diff.plan, before, statusOf));
  return diff;
}

const WHY_NOT: Record<TaskStatus, string> = {
  pending: "",
  in_progress: "a running task is not changed mid-run",
  completed: "a completed task is never rewritten by an edit",
  skipped: "it was skipped and will not run",
  failed: "it already ran in this run; the edit applies when it is retried",
  blocked: "it already ran in this run; the edit applies when it is retried",
  cancelled: "it was cancelled in this run; the edit applies when it runs again",
};

// The fields that decide what a task does; position and status are not its definition.
function sameDefinition(a: PlanTask, b: PlanTask): boolean {
  const definition = (t: PlanTask) => ({
    title: t.title,
    command: t.command,
    deps: [...t.deps].sort(),
    timeoutMs: t.timeoutMs,
    retries: t.retries,
    verify: t.verify,
    cwd: t.cwd,
    env: t.env,
    onFailure: t.onFailure,
    paths: t.paths ?? null,
    isolation: t.isolation,
    resolver: t.resolver ?? null,
  });
  return isDeepStrictEqual(definition(a), definition(b));
}

// The loader has checked the file's graph; the plan mixes it with kept definitions, so check
// again what a task yet to run waits for: a task that still exists, and no cycle.
function dependencyProblems(plan: Plan, before: Map<string, PlanTask>, statusOf: (t: PlanTask) => TaskStatus): string[] {
  const ids = new Set(plan.tasks.map((t) => t.id));
  const problems: string[] = [];
  for (const task of plan.tasks) {
    if (before.has(task.id) && statusOf(before.get(task.id)!) !== "pending") continue;
    for (const dep of task.deps) {
      if (ids.has(dep)) continue;
      problems.push(before.has(dep) ? `task '${task.id}' depends on '${dep}', which the edit removes` : `task '${task.id}' depends on unknown task '${dep}'`);
    }
  }
  const cycle = findCycle(plan.tasks);
  if (cycle) problems.push(`dependency cycle: ${cycle.join(" → ")}`);
  return problems;
}

/**
 * Validate `text` as the new content of milestone file `file` and build its plan, with the same
 * checks and the same located `path:line:col` problems as `execute`. Never throws for bad input.
 */
export function loadEditedPlan(file: string, text: string, config: ConfigFile, projectDir: string, overrides: PlanOverrides = {}): EditedPlan {
  try {
    const parsed = parseMilestoneText(path.resolve(file), text);
    const schema = quickSchemaResult(parsed) ?? schemaCheck?.(parsed);
    if (schema === undefined) {
      return { ok: "later", ready: import("./load-milestone.ts").then((m) => void (schemaCheck = m.checkMilestoneSchema)) };
    }
    // The file name is the milestone's id, so an edit may not change it.
    const loaded = completeMilestone(parsed, schema, { expectedId: path.basename(file).replace(/\.ya?ml$/, "") });
    return { ok: true, plan: buildPlan(loaded, config, projectDir, overrides), loaded };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, problems: error.problems };
    return { ok: false, problems: [{ file: displayPath(path.resolve(file)), line: 1, col: 1, message: (error as Error).message }] };
  }
}

