// The checks zod cannot express because they span several tasks: duplicate ids, unknown and
// self dependencies, cycles, and a task that is both a shell command and an agent prompt.
// Works on the raw parsed data, so that these problems are reported together with the schema's
// even when some task is malformed.
import type { Problem } from "../errors.ts";
import { DEPENDENCY_KEYS } from "./task-deps.ts";
import { findCycle, type GraphTask } from "./task-graph.ts";
import { lineOf, problemAt, type YamlSource } from "./yaml-source.ts";

interface RawTask {
  index: number;
  id: string;
  /** Every string dependency entry with its location in the file. */
  deps: Array<{ id: string; key: string; position: number }>;
  record: Record<string, unknown>;
}

export function checkTasks(source: YamlSource, tasks: unknown): Problem[] {
  if (!Array.isArray(tasks)) return [];
  const raw = rawTasks(tasks);
  const problems: Problem[] = [];
  const firstIndex = new Map<string, number>();
  for (const t of raw) {
    const first = firstIndex.get(t.id);
    if (first === undefined) firstIndex.set(t.id, t.index);
    else {
      const line = lineOf(source, ["tasks", first, "id"]);
      problems.push(problemAt(source, ["tasks", t.index, "id"], `duplicate task id '${t.id}' (first defined on line ${line})`));
    }
    if (t.record.run !== undefined && t.record.agent !== undefined) {
      problems.push(problemAt(source, ["tasks", t.index, "agent"], `task '${t.id}' has both run and agent: give either a shell command (run) or a prompt for the agent (agent)`));
    }
  }
  const graph: GraphTask[] = [];
  for (const t of raw) {
    for (const d of t.deps) {
      const at = ["tasks", t.index, d.key, d.position];
      if (d.id === t.id) problems.push(problemAt(source, at, `task '${t.id}' depends on itself`));
      else if (!firstIndex.has(d.id)) problems.push(problemAt(source, at, `task '${t.id}' depends on unknown task '${d.id}'`));
    }
    // Self-dependencies are reported above; a cycle is only worth reporting across tasks.
    graph.push({ id: t.id, deps: t.deps.map((d) => d.id).filter((id) => id !== t.id) });
  }
  const cycle = findCycle(graph);
  if (cycle) problems.push(cycleProblem(source, raw, firstIndex, cycle));
  return problems;
}

// Points at the entry by which the cycle's first task depends on the second.
function cycleProblem(source: YamlSource, raw: RawTask[], firstIndex: Map<string, number>, cycle: string[]): Problem {
  const task = raw.find((t) => t.index === firstIndex.get(cycle[0]))!;
  const entry = task.deps.find((d) => d.id === cycle[1])!;
  return problemAt(source, ["tasks", task.index, entry.key, entry.position], `dependency cycle: ${cycle.join(" → ")}`);
}

function rawTasks(tasks: unknown[]): RawTask[] {
  const out: RawTask[] = [];
  tasks.forEach((task, index) => {
    if (!isRecord(task) || typeof task.id !== "string") return;
    const deps: RawTask["deps"] = [];
    for (const key of DEPENDENCY_KEYS) {
      const list = task[key];
      if (!Array.isArray(list)) continue;
      list.forEach((id, position) => {
        if (typeof id === "string") deps.push({ id, key, position });
      });
    }
    out.push({ index, id: task.id, deps, record: task });
  });
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
