// `export <id>`: a milestone's lifecycle statechart (its current state highlighted) or its task
// graph (coloured by status) as Mermaid, Graphviz DOT, JSON or SVG.
import fs from "node:fs";
import path from "node:path";
import type { Command, CommandContext } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { formatProblem, UsageError } from "../../errors.ts";
import { layout } from "../../store/layout.ts";
import { findMilestone } from "../../store/find-milestone.ts";
import { loadMilestone } from "../../milestone/load-milestone.ts";
import { EXPORT_FORMATS, EXPORT_GRAPHS, renderExport, type ExportFormat, type ExportGraph } from "../../inspect/render-export.ts";

export const command: Command = {
  name: "export",
  summary: "export the lifecycle chart or the task graph as mermaid, dot, json or svg",
  usage: "export <id> [--format mermaid|dot|json|svg] [--graph lifecycle|tasks] [--output FILE]",
  details: [
    "--graph lifecycle (default): the milestone statechart with the milestone's current state highlighted.",
    "--graph tasks: the tasks and their dependencies, coloured by task status.",
    "Mermaid output renders on GitHub inside a ```mermaid block; svg needs no Graphviz installed.",
  ].join("\n"),
  options: {
    format: { type: "string", value: "FORMAT", description: `${EXPORT_FORMATS.join(", ")} (default: mermaid; --json means json)` },
    graph: { type: "string", value: "GRAPH", description: `${EXPORT_GRAPHS.join(" or ")} (default: lifecycle)` },
    output: { type: "string", short: "o", value: "FILE", description: "write to FILE instead of standard output" },
  },
  async run(ctx: CommandContext) {
    if (ctx.args.length !== 1) throw new UsageError("export takes exactly one milestone id", `usage: milestone-machine ${command.usage}`);
    const format = chosenFormat(ctx);
    const graph = oneOf("graph", ctx.flags.graph ?? "lifecycle", EXPORT_GRAPHS) as ExportGraph;
    const found = findMilestone(layout(ctx.cwd), ctx.args[0]);
    const loaded = loadMilestone(found.file, { expectedId: found.id });
    for (const warning of loaded.warnings) ctx.stderr.write(`warning: ${formatProblem(warning)}\n`);
    const text = await renderExport(loaded.data, graph, format);
    if (typeof ctx.flags.output === "string") fs.writeFileSync(path.resolve(ctx.flags.output), text);
    else ctx.stdout.write(text);
    return EXIT.completed;
  },
};

function chosenFormat(ctx: CommandContext): ExportFormat {
  const format = oneOf("format", ctx.flags.format ?? (ctx.json ? "json" : "mermaid"), EXPORT_FORMATS) as ExportFormat;
  if (ctx.json && format !== "json") throw new UsageError(`--json and --format ${format} disagree`, "pass one of them");
  return format;
}

function oneOf(flag: string, value: string | boolean, allowed: readonly string[]): string {
  if (typeof value === "string" && allowed.includes(value)) return value;
  throw new UsageError(`--${flag} must be one of ${allowed.join(", ")}; got '${String(value)}'`);
}
