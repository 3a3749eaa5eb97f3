// The root lifecycle chart with a milestone's recorded status as its current state: the file's
// status values (planned, in_progress, paused, …) are named after the chart's states.
import { milestoneMachine } from "../../machines/milestone.ts";
import { chartGraph, type ChartGraph } from "./chart-graph.ts";

export function lifecycleGraph(status: string | null): ChartGraph {
  return chartGraph(milestoneMachine, { current: status });
}
