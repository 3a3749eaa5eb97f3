// `list`: every milestone of the project with its status, progress and requirements.
import type { Command, CommandContext } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { layout as projectLayout } from "../../store/layout.ts";
import { listIds } from "../../store/find-milestone.ts";
import { paint } from "../../ui/colors.ts";
import { fileProgress, type FileProgress } from "../file-progress.ts";
import { InputError } from "../../errors.ts";
import { loadMilestoneQuickly } from "../../milestone/read-milestone.ts";

interface ListEntry {
  id: string;
  title: string;
  status: string;
  place: "active" | "completed";
  progress: FileProgress;
  requires: string[];
  /** Requirements not yet completed. */
  waiting_for: string[];
  /** Set when the file is broken (YAML syntax, schema, task graph): every problem as `file:line:col: message`, one a line. */
  error?: string;
}

export const command: Command = {
  name: "list",
  summary: "list milestones with status and progress",
  usage: "list [--json]",
  details: "A broken milestone file is listed as invalid, its problems are printed as file:line:col: message, and list exits 2.",
  options: {},
  async run(ctx: CommandContext) {
    const layout = projectLayout(ctx.cwd);
    const completedIds = new Set(listIds(layout.completedDir));
    const entries: ListEntry[] = [];
    for (const place of ["active", "completed"] as const) {
      const dir = place === "active" ? layout.activeDir : layout.completedDir;
      for (const id of listIds(dir)) entries.push(await readEntry(place === "active" ? layout.active(id) : layout.completed(id), id, place, completedIds));
    }
    const code = entries.some((e) => e.error) ? EXIT.badInput : EXIT.completed;
    if (ctx.json) {
      ctx.stdout.write(`${JSON.stringify({ milestones: entries }, null, 2)}\n`);
      return code;
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
      const title = e.error ? `${e.title} ${p.red("(invalid, see below)")}` : e.title;
      ctx.stdout.write(`${e.id.padEnd(w)}  ${e.status.padEnd(11)}  ${progress}  ${title}${waiting}\n`);
    }
    for (const e of entries) if (e.error) ctx.stderr.write(`${e.error}\n`);
    return code;
  },
};

// Checked as `validate` checks it; a broken file is listed by its id alone, with its problems.
async function readEntry(file: string, id: string, place: ListEntry["place"], completed: Set<string>): Promise<ListEntry> {
  const entry: ListEntry = { id, title: id, status: "unknown", place, progress: { percentage: 0, tasks_completed: 0, total_tasks: 0 }, requires: [], waiting_for: [] };
  try {
    const { data } = await loadMilestoneQuickly(file, { expectedId: id });
    entry.title = data.title ?? id;
    entry.status = data.status ?? "planned";
    entry.progress = fileProgress(data.tasks.map((t) => t.status));
    entry.requires = data.dependencies?.requires ?? [];
    entry.waiting_for = place === "active" ? entry.requires.filter((r) => !completed.has(r)) : [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    entry.error = error.message;
  }
  return entry;
}
