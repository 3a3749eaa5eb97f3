// Mermaid text that GitHub renders: `stateDiagram-v2` for a chart, `flowchart LR` for tasks.
// Ids are mapped to letters, digits and underscores; the original names stay as labels.
import type { ChartGraph } from "./chart-graph.ts";
import type { TasksGraph } from "./tasks-graph.ts";
import { safeIds, transitionLabel } from "./labels.ts";
import { CURRENT, swatchFor } from "./status-colors.ts";

export function chartToMermaid(g: ChartGraph): string {
  const ids = safeIds(g.states.map((s) => s.id), "s_");
  const id = (state: string) => ids.get(state)!;
  const parentOf = new Map(g.states.map((s) => [s.id, s.parent]));
  const ancestors = (state: string): Array<string | null> => {
    const parent = parentOf.get(state) ?? null;
    return parent === null ? [null] : [parent, ...ancestors(parent)];
  };
  // A transition is written in the innermost block that holds both of its ends: Mermaid cannot
  // draw an edge from inside a composite state to a state outside it if written inside the block.
  const scopeOf = (t: { from: string; to: string }) => ancestors(t.from).find((a) => ancestors(t.to).includes(a)) ?? null;
  const lines = ["stateDiagram-v2"];
  // Emits one level of the hierarchy; compound states become `state x { … }` blocks.
  const level = (parent: string | null, initial: string | null, indent: string) => {
    if (initial) lines.push(`${indent}[*] --> ${id(initial)}`);
    for (const s of g.states.filter((s) => s.parent === parent)) {
      if (s.key !== id(s.id)) lines.push(`${indent}state "${s.key.replace(/"/g, "'")}" as ${id(s.id)}`);
      if (g.states.some((c) => c.parent === s.id)) {
        lines.push(`${indent}state ${id(s.id)} {`);
        level(s.id, s.initial, `${indent}  `);
        lines.push(`${indent}}`);
      }
      if (s.type === "final") lines.push(`${indent}${id(s.id)} --> [*]`);
    }
    for (const t of g.transitions.filter((t) => scopeOf(t) === parent)) {
      lines.push(`${indent}${id(t.from)} --> ${id(t.to)} : ${transitionLabel(t).replace(/[\n:;]/g, " ")}`);
    }
  };
  level(null, g.initial, "  ");
  if (g.current) {
    lines.push(`  classDef current fill:${CURRENT.fill},stroke:${CURRENT.stroke},stroke-width:3px,font-weight:bold`);
    lines.push(`  class ${id(g.current)} current`);
  }
  return `${lines.join("\n")}\n`;
}

export function tasksToMermaid(g: TasksGraph): string {
  const ids = safeIds(g.nodes.map((n) => n.id), "t_");
  const id = (task: string) => ids.get(task)!;
  const quote = (text: string) => `"${text.replace(/"/g, "#quot;")}"`;
  const lines = ["flowchart LR"];
  for (const n of g.nodes) lines.push(`  ${id(n.id)}[${quote(`${n.id}<br/>${n.status}`)}]`);
  for (const e of g.edges) lines.push(`  ${id(e.from)} --> ${id(e.to)}`);
  const statuses = [...new Set(g.nodes.map((n) => n.status))];
  for (const status of statuses) {
    const { fill, stroke } = swatchFor(status);
    lines.push(`  classDef ${status} fill:${fill},stroke:${stroke},color:#111827`);
    lines.push(`  class ${g.nodes.filter((n) => n.status === status).map((n) => id(n.id)).join(",")} ${status}`);
  }
  return `${lines.join("\n")}\n`;
}
