// `status <id>`: a one-screen summary of a milestone; `--json` for scripts (DESIGN §7).
import type { Command, CommandContext } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { UsageError } from "../../errors.ts";
import { layout } from "../../store/layout.ts";
import { statusReport, type StatusReport } from "../status-report.ts";
import { paint, type Paint } from "../../ui/colors.ts";

export const command: Command = {
  name: "status",
  summary: "show a milestone's status, tasks and blockers",
  usage: "status <id> [--json]",
  options: {},
  async run(ctx: CommandContext) {
    if (ctx.args.length !== 1) throw new UsageError("status takes exactly one milestone id", "usage: milestone-machine status <id>");
    const report = statusReport(layout(ctx.cwd), ctx.args[0]);
    ctx.stdout.write(ctx.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderStatus(report, paint(ctx.color))}\n`);
    return EXIT.completed;
  },
};

const ICONS: Record<string, string> = {
  completed: "✔",
  failed: "✖",
  in_progress: "→",
  pending: "·",
  skipped: "↷",
  blocked: "■",
  cancelled: "-",
};

export function renderStatus(r: StatusReport, p: Paint): string {
  const colour = (status: string) =>
    status === "completed" ? p.green : status === "failed" ? p.red : status === "in_progress" ? p.cyan : status === "pending" ? p.dim : p.yellow;
  const bar = "█".repeat(Math.round(r.progress.percentage / 5)).padEnd(20, "░");
  const width = Math.max(...r.tasks.map((t) => t.id.length), 4);
  const lines = [
    `${p.bold(r.title)} (${r.id}): ${colour(r.status)(r.status)}`,
    `${bar} ${r.progress.tasks_completed}/${r.progress.total_tasks} tasks, ${r.progress.percentage}%`,
    "",
    ...r.tasks.map((t) => {
      const tries = t.attempts > 1 ? p.dim(` (${t.attempts} attempts)`) : "";
      return `  ${colour(t.status)(`${ICONS[t.status] ?? "?"} ${t.id.padEnd(width)}`)}  ${t.title}${tries}`;
    }),
  ];
  if (r.blockers.length) {
    lines.push("", p.red("Blockers:"), ...r.blockers.map((b) => `  ${b.type}${b.task ? ` (${b.task})` : ""}: ${b.detail}`));
  }
  if (r.executor) lines.push("", `running now: pid ${r.executor.pid} on ${r.executor.host} since ${r.executor.since}`);
  else if (["paused", "failed", "blocked", "in_progress"].includes(r.status)) {
    lines.push("", `continue with: milestone-machine execute ${r.id}`);
  }
  return lines.join("\n");
}
