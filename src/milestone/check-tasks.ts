// The checks zod cannot express because they span several tasks: duplicate ids, unknown and
// self dependencies, cycles, and a task that is both a shell command and an agent prompt.
// Works on the raw parsed data, so that these problems are reported together with the schema's
// even when some task is malformed.
import type { Problem } from "../errors.ts";
import { DEPENDENCY_KEYS } from "./task-deps.ts";
import { findCycle, type GraphTask } from "./task-graph.ts";
import { lineOf, problemAt, type YamlSource } from "./yaml-source.ts";

export function checkTasks(source: YamlSource, tasks: unknown): Problem[] {
  if (!Array.isArray(tasks)) return [];
  const problems: Problem[] = [];
  const firstIndex = new Map<string, number>();
  for (let index = 0; index < tasks.length; index++) {
    const task = tasks[index];
    if (!isTask(task)) continue;
    const first = firstIndex.get(task.id);
    if (first === undefined) firstIndex.set(task.id, index);
    else {
      const line = lineOf(source, ["tasks", first, "id"]);
      problems.push(problemAt(source, ["tasks", index, "id"], `duplicate task id '${task.id}' (first defined on line ${line})`));
    }
    if (task.run !== undefined && task.agent !== undefined) {
      problems.push(problemAt(source, ["tasks", index, "agent"], `task '${task.id}' has both run and agent: give either a shell command (run) or a prompt for the agent (agent)`));
    }
  }
  // Runs once per task of a file that may hold 10,000, mostly valid: no allocation per entry.
  const graph: GraphTask[] = [];
  for (let index = 0; index < tasks.length; index++) {
    const task = tasks[index];
    if (!isTask(task)) continue;
    const deps: string[] = [];
    for (const key of DEPENDENCY_KEYS) {
      const list = task[key];
      if (!Array.isArray(list)) continue;
      for (let position = 0; position < list.length; position++) {
        const id = list[position];
        if (typeof id !== "string") continue;
        // Self-dependencies are reported here; a cycle is only worth reporting across tasks.
        if (id === task.id) problems.push(problemAt(source, ["tasks", index, key, position], `task '${task.id}' depends on itself`));
        else {
          if (!firstIndex.has(id)) problems.push(problemAt(source, ["tasks", index, key, position], `task '${task.id}' depends on unknown task '${id}'`));
          deps.push(id);
        }
      }
    }
    graph.push({ id: task.id, deps });
  }
  const cycle = findCycle(graph);
  if (cycle) problems.push(cycleProblem(source, tasks, firstIndex, cycle));
  return problems;
}

// Points at the entry by which the cycle's first task depends on the second.
function cycleProblem(source: YamlSource, tasks: unknown[], firstIndex: Map<string, number>, cycle: string[]): Problem {
  const index = firstIndex.get(cycle[0])!;
  const task = tasks[index] as Record<string, unknown>;
  for (const key of DEPENDENCY_KEYS) {
    const list = task[key];
    const position = Array.isArray(list) ? list.indexOf(cycle[1]) : -1;
    if (position !== -1) return problemAt(source, ["tasks", index, key, position], `dependency cycle: ${cycle.join(" → ")}`);
  }
  throw new Error(`checkTasks: task '${cycle[0]}' has no dependency on '${cycle[1]}'`);
}

function isTask(value: unknown): value is Record<string, unknown> & { id: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { id?: unknown }).id === "string";
}
