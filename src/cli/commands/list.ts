// `list`: every milestone of the project with its status, progress and requirements.
import fs from "node:fs";
import { parseData } from "../../milestone/yaml-source.ts";
import type { Command, CommandContext } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { layout as projectLayout } from "../../store/layout.ts";
import { listIds } from "../../store/find-milestone.ts";
import { paint } from "../../ui/colors.ts";
import { fileProgress, type FileProgress } from "../file-progress.ts";

interface ListEntry {
  id: string;
  title: string;
  status: string;
  place: "active" | "completed";
  progress: FileProgress;
  requires: string[];
  /** Requirements not yet completed. */
  waiting_for: string[];
  /** Set when the file cannot be read as YAML; `validate` tells more. */
  error?: string;
}

export const command: Command = {
  name: "list",
  summary: "list milestones with status and progress",
  usage: "list [--json]",
  options: {},
  async run(ctx: CommandContext) {
    const layout = projectLayout(ctx.cwd);
    const completedIds = new Set(listIds(layout.completedDir));
    const entries: ListEntry[] = [];
    for (const place of ["active", "completed"] as const) {
      const dir = place === "active" ? layout.activeDir : layout.completedDir;
      for (const id of listIds(dir)) entries.push(readEntry(place === "active" ? layout.active(id) : layout.completed(id), id, place, completedIds));
    }
    if (ctx.json) {
      ctx.stdout.write(`${JSON.stringify({ milestones: entries }, null, 2)}\n`);
      return EXIT.completed;
    }
    if (entries.length === 0) {
      ctx.stdout.write(`no milestones in ${layout.root} (create one with 'milestone-machine new <id>')\n`);
      return EXIT.completed;
    }
    const p = paint(ctx.color);
    const w = Math.max(...entries.map((e) => e.id.length), 2);
    ctx.stdout.write(`${p.bold(`${"ID".padEnd(w)}  ${"STATUS".padEnd(11)}  PROGRESS  TITLE`)}\n`);
    for (const e of entries) {
      const progress = `${e.progress.tasks_completed}/${e.progress.total_tasks}`.padEnd(8);
      const waiting = e.waiting_for.length ? p.yellow(`  (requires ${e.waiting_for.join(", ")})`) : "";
      const title = e.error ? p.red(`unreadable: ${e.error}`) : e.title;
      ctx.stdout.write(`${e.id.padEnd(w)}  ${e.status.padEnd(11)}  ${progress}  ${title}${waiting}\n`);
    }
    return EXIT.completed;
  },
};

function readEntry(file: string, id: string, place: ListEntry["place"], completed: Set<string>): ListEntry {
  const entry: ListEntry = { id, title: id, status: "unknown", place, progress: { percentage: 0, tasks_completed: 0, total_tasks: 0 }, requires: [], waiting_for: [] };
  try {
    const data = (parseData(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, any>;
    const tasks: Array<Record<string, unknown>> = Array.isArray(data.tasks) ? data.tasks : [];
    entry.title = String(data.title ?? id);
    entry.status = String(data.status ?? "planned");
    entry.progress = fileProgress(tasks.map((t) => t?.status));
    entry.requires = Array.isArray(data.dependencies?.requires) ? data.dependencies.requires.map(String) : [];
    entry.waiting_for = place === "active" ? entry.requires.filter((r) => !completed.has(r)) : [];
  } catch (error) {
    entry.error = (error as Error).message.split("\n")[0];
  }
  return entry;
}
