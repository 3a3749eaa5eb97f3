// What `export` prints: a milestone's lifecycle or task graph in one of the formats.
import type { MilestoneFile } from "../milestone/schema.ts";
import { lifecycleGraph } from "./lifecycle-graph.ts";
import { tasksGraph } from "./tasks-graph.ts";
import { chartToMermaid, tasksToMermaid } from "./to-mermaid.ts";
import { chartToDot, tasksToDot } from "./to-dot.ts";
import { dotToSvg } from "./to-svg.ts";

export const EXPORT_FORMATS = ["mermaid", "dot", "json", "svg"] as const;
export const EXPORT_GRAPHS = ["lifecycle", "tasks"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportGraph = (typeof EXPORT_GRAPHS)[number];

export async function renderExport(milestone: MilestoneFile, graph: ExportGraph, format: ExportFormat): Promise<string> {
  if (graph === "lifecycle") {
    const g = lifecycleGraph(milestone.status ?? "planned");
    if (format === "json") {
      const { id: machine, ...chart } = g;
      return `${JSON.stringify({ graph, milestone: milestone.id, machine, ...chart }, null, 2)}\n`;
    }
    if (format === "mermaid") return chartToMermaid(g);
    return format === "dot" ? chartToDot(g) : dotToSvg(chartToDot(g));
  }
  const g = tasksGraph(milestone);
  if (format === "json") return `${JSON.stringify({ graph, ...g }, null, 2)}\n`;
  if (format === "mermaid") return tasksToMermaid(g);
  return format === "dot" ? tasksToDot(g) : dotToSvg(tasksToDot(g));
}
