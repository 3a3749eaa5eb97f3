// Graphviz DOT for a chart (compound states as clusters) and for a task graph.
import type { ChartGraph, ChartState } from "./chart-graph.ts";
import type { TasksGraph } from "./tasks-graph.ts";
import { transitionLabel } from "./labels.ts";
import { CURRENT, swatchFor } from "./status-colors.ts";

const quote = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
const attrs = (a: Record<string, string | number>) =>
  `[${Object.entries(a).map(([k, v]) => `${k}=${typeof v === "number" ? v : quote(v)}`).join(", ")}]`;

const HEADER = [
  "  rankdir=LR;",
  '  graph [fontname="Helvetica", fontsize=12];',
  '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=12];',
  '  edge [fontname="Helvetica", fontsize=10, color="#4b5563"];',
];

export function chartToDot(g: ChartGraph): string {
  const byId = new Map(g.states.map((s) => [s.id, s]));
  const children = (parent: string | null) => g.states.filter((s) => s.parent === parent);
  // Graphviz draws edges between nodes only: an edge to or from a compound state attaches to a
  // leaf inside its cluster and is clipped at the cluster's border (lhead/ltail).
  const leaf = (s: ChartState): ChartState => {
    const inner = children(s.id);
    return inner.length ? leaf(byId.get(s.initial ?? "") ?? inner[0]) : s;
  };
  const lines = [`digraph ${quote(g.id)} {`, ...HEADER, "  compound=true;"];
  const level = (parent: string | null, indent: string) => {
    for (const s of children(parent)) {
      if (children(s.id).length) {
        lines.push(`${indent}subgraph ${quote(`cluster_${s.id}`)} {`, `${indent}  label=${quote(s.key)}; style="rounded";`);
        level(s.id, `${indent}  `);
        lines.push(`${indent}}`);
        continue;
      }
      const look: Record<string, string | number> = { label: s.key };
      if (s.type === "final") look.peripheries = 2;
      if (s.id === g.current) Object.assign(look, { style: "rounded,filled,bold", fillcolor: CURRENT.fill, color: CURRENT.stroke, penwidth: 3 });
      lines.push(`${indent}${quote(s.id)} ${attrs(look)};`);
    }
  };
  level(null, "  ");
  if (g.initial) {
    lines.push(`  "__initial" [shape=point, width=0.15, label=""];`);
    lines.push(`  "__initial" -> ${quote(leaf(byId.get(g.initial)!).id)};`);
  }
  for (const t of g.transitions) {
    const from = byId.get(t.from)!;
    const to = byId.get(t.to)!;
    const look: Record<string, string> = { label: transitionLabel(t) };
    if (leaf(from) !== from) look.ltail = `cluster_${from.id}`;
    if (leaf(to) !== to) look.lhead = `cluster_${to.id}`;
    lines.push(`  ${quote(leaf(from).id)} -> ${quote(leaf(to).id)} ${attrs(look)};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

export function tasksToDot(g: TasksGraph): string {
  const lines = [`digraph ${quote(g.milestone)} {`, ...HEADER];
  for (const n of g.nodes) {
    const { fill, stroke } = swatchFor(n.status);
    const look = { label: `${n.id}\n${n.status}`, tooltip: n.title, style: "rounded,filled", fillcolor: fill, color: stroke };
    lines.push(`  ${quote(n.id)} ${attrs(look)};`);
  }
  for (const e of g.edges) lines.push(`  ${quote(e.from)} -> ${quote(e.to)};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
