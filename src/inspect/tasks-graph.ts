// A milestone's tasks as a graph for export: one node per task with its status from the file,
// one edge per dependency, pointing from the task that must finish first.
import type { MilestoneFile } from "../milestone/schema.ts";
import { taskDeps } from "../milestone/task-deps.ts";

export interface TasksGraph {
  milestone: string;
  nodes: Array<{ id: string; title: string; status: string }>;
  edges: Array<{ from: string; to: string }>;
}

export function tasksGraph(milestone: MilestoneFile): TasksGraph {
  return {
    milestone: milestone.id,
    nodes: milestone.tasks.map((t) => ({ id: t.id, title: t.title, status: t.status ?? "pending" })),
    edges: milestone.tasks.flatMap((t) => taskDeps(t).map((dep) => ({ from: dep, to: t.id }))),
  };
}
