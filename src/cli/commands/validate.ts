// `validate [id|file…]`: loads every given milestone (default: all of the project) and the
// config, builds each plan, and reports every problem as `path:line:col: message`. Reads only.
// A valid file is judged without zod (milestone/quick-check.ts); zod loads only to say what is
// wrong with one that is not.
import fs from "node:fs";
import path from "node:path";
import type { Command, CommandContext } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { InputError, UsageError, formatProblem, type Problem } from "../../errors.ts";
import { layout, type Layout } from "../../store/layout.ts";
import { displayPath } from "../../store/display-path.ts";
import { findMilestone, listIds } from "../../store/find-milestone.ts";
import { loadConfigQuickly } from "../../store/read-config.ts";
import { loadMilestoneQuickly, type LoadedMilestone } from "../../milestone/read-milestone.ts";
import { buildPlan, parseAgentCommand } from "../../milestone/plan.ts";
import type { ConfigFile } from "../../milestone/schema.ts";
import { problemAt } from "../../milestone/yaml-source.ts";

interface FileReport {
  file: string;
  /** The milestone id; null for the config and for a file too broken to tell. */
  id: string | null;
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
}

export const command: Command = {
  name: "validate",
  summary: "check milestone files without running anything",
  usage: "validate [id|file…]",
  details: [
    "Without arguments, checks .milestones/config.yaml and every file in .milestones/active/ and",
    ".milestones/completed/. An argument is a file path, or a milestone id. Exit code 0 when all",
    "are valid, 2 otherwise. Warnings (old status names, required milestones not yet completed)",
    "do not fail validation.",
  ].join("\n"),
  options: {
    agent: { type: "string", value: "CMD", description: "check as if run with this agent command (as for execute)" },
  },
  async run(ctx) {
    const l = layout(ctx.cwd);
    const targets = ctx.args.length ? ctx.args.map((a) => resolveTarget(l, a)) : allMilestoneFiles(l);
    const agentCommand = typeof ctx.flags.agent === "string" ? parseAgentCommand(ctx.flags.agent) : undefined;
    const { config, report: configReport } = await checkConfig(l);
    const reports = [...(configReport ? [configReport] : [])];
    for (const file of targets) reports.push(await checkMilestone(l, file, config, agentCommand));
    const ok = reports.every((r) => r.ok);
    if (ctx.json) ctx.stdout.write(`${JSON.stringify({ ok, files: reports }, null, 2)}\n`);
    else printReports(ctx, reports);
    return ok ? EXIT.completed : EXIT.badInput;
  },
};

function allMilestoneFiles(l: Layout): string[] {
  if (!fs.existsSync(l.root)) {
    throw new UsageError(`no .milestones/ folder in ${l.project}`, "run 'milestone-machine init' to create one, or pass --cwd DIR");
  }
  return [...listIds(l.activeDir).map((id) => l.active(id)), ...listIds(l.completedDir).map((id) => l.completed(id))];
}

// A path to an existing file wins; anything else is taken as a milestone id.
function resolveTarget(l: Layout, arg: string): string {
  for (const candidate of [path.resolve(arg), path.resolve(l.project, arg)]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  if (arg.includes("/") || arg.includes(path.sep) || /\.ya?ml$/.test(arg)) throw new UsageError(`no such file: ${arg}`);
  return findMilestone(l, arg).file;
}

async function checkConfig(l: Layout): Promise<{ config: ConfigFile | null; report: FileReport | null }> {
  const exists = fs.existsSync(l.config);
  try {
    const config = await loadConfigQuickly(l.project);
    return { config, report: exists ? { file: displayPath(l.config), id: null, ok: true, errors: [], warnings: [] } : null };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { config: null, report: { file: displayPath(l.config), id: null, ok: false, errors: error.problems, warnings: [] } };
  }
}

async function checkMilestone(l: Layout, file: string, config: ConfigFile | null, agentCommand: string[] | undefined): Promise<FileReport> {
  const name = path.basename(file);
  const expectedId = /\.ya?ml$/.test(name) ? name.replace(/\.ya?ml$/, "") : undefined;
  const report: FileReport = { file: displayPath(file), id: null, ok: false, errors: [], warnings: [] };
  let loaded: LoadedMilestone;
  try {
    loaded = await loadMilestoneQuickly(file, { expectedId });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    report.errors = error.problems;
    return report;
  }
  report.id = loaded.data.id;
  report.warnings = [...loaded.warnings, ...unmetRequires(l, loaded)];
  // With a broken config the agent command is unknown; the config's own errors say enough.
  if (config) {
    try {
      buildPlan(loaded, config, l.project, { agentCommand });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      report.errors = error.problems;
    }
  }
  report.ok = report.errors.length === 0;
  return report;
}

// Execute refuses to start a milestone whose required milestones are not completed; validate
// only warns, since completing them is the normal way forward.
function unmetRequires(l: Layout, loaded: LoadedMilestone): Problem[] {
  const inCompleted = path.dirname(loaded.file) === path.resolve(l.completedDir);
  if (inCompleted || loaded.data.status === "completed") return [];
  const requires = loaded.data.dependencies?.requires ?? [];
  return requires.flatMap((id, i) =>
    fs.existsSync(l.completed(id))
      ? []
      : [problemAt(loaded, ["dependencies", "requires", i], `requires milestone '${id}', which is not completed yet (no ${displayPath(l.completed(id))}): execute will not start until it is`)],
  );
}

function printReports(ctx: CommandContext, reports: FileReport[]): void {
  for (const r of reports) {
    for (const p of r.errors) ctx.stderr.write(`${formatProblem(p)}\n`);
    for (const p of r.warnings) ctx.stderr.write(`${formatProblem({ ...p, message: `warning: ${p.message}` })}\n`);
  }
  const errors = reports.reduce((n, r) => n + r.errors.length, 0);
  const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
  const bad = reports.filter((r) => !r.ok).length;
  const files = `${reports.length} file${reports.length === 1 ? "" : "s"}`;
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
  const summary = bad ? `${files} checked: ${bad} invalid (${counts})` : `${files} checked: all valid${warnings ? ` (${plural(warnings, "warning")})` : ""}`;
  (bad ? ctx.stderr : ctx.stdout).write(`${summary}\n`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
