// `status <id>`: a one-screen summary of a milestone; `--json` for scripts (DESIGN §7).
import type { Command, CommandContext } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { UsageError } from "../../errors.ts";
import { layout } from "../../store/layout.ts";
import { checkedStatusReport, type StatusReport } from "../status-report.ts";
import { paint, type Paint } from "../../ui/colors.ts";

export const command: Command = {
  name: "status",
  summary: "show a milestone's status, tasks and blockers",
  usage: "status <id> [--json] [--watch [--exit]]",
  details: [
    "--watch follows a run that another process executes (execute or resume) on a live dashboard,",
    "until Ctrl-C. With --exit it ends once the milestone stops, with execute's exit code for that",
    "state: 0 completed, 1 failed, 3 blocked, 4 paused.",
  ].join("\n"),
  options: {
    watch: { type: "boolean", short: "w", description: "keep showing the milestone as it runs (Ctrl-C to stop)" },
    exit: { type: "boolean", description: "with --watch: exit when the milestone reaches a stop state" },
  },
  async run(ctx: CommandContext) {
    if (ctx.args.length !== 1) throw new UsageError("status takes exactly one milestone id", "usage: milestone-machine status <id>");
    if (ctx.flags.exit && !ctx.flags.watch) throw new UsageError("--exit only makes sense with --watch", "usage: milestone-machine status <id> --watch --exit");
    if (ctx.flags.watch) return watch(ctx);
    const report = await checkedStatusReport(layout(ctx.cwd), ctx.args[0]);
    ctx.stdout.write(ctx.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderStatus(report, paint(ctx.color))}\n`);
    return EXIT.completed;
  },
};

const EXIT_FOR_STOP: Record<string, number> = {
  completed: EXIT.completed,
  failed: EXIT.failed,
  cancelled: EXIT.failed,
  blocked: EXIT.blocked,
  paused: EXIT.paused,
};

async function watch(ctx: CommandContext): Promise<number> {
  if (ctx.json) throw new UsageError("--watch draws a terminal view and has no JSON form", "for a JSON stream use 'milestone-machine log <id> --follow --json'");
  const dir = layout(ctx.cwd);
  const id = ctx.args[0];
  const report = await checkedStatusReport(dir, id);
  // Loaded only here: the live view pulls in RxJS, which a one-shot status does not need.
  const { watchRun } = await import("../../ui/watch-run.ts");
  const stopped = await watchRun({ layout: dir, id, report, out: ctx.stdout, p: paint(ctx.color), exitOnStop: ctx.flags.exit === true });
  return stopped === null ? EXIT.completed : (EXIT_FOR_STOP[stopped] ?? EXIT.completed);
}

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
    lines.push(
      "",
      p.red("Blockers:"),
      ...r.blockers.flatMap((b) => [`  ${b.type}${b.task ? ` (${b.task})` : ""}: ${b.detail}`, ...(b.fix ? [p.dim(`    fix: ${b.fix}`)] : [])]),
    );
  }
  if (r.executor) lines.push("", `running now: pid ${r.executor.pid} on ${r.executor.host} since ${r.executor.since}`);
  else if (r.status === "blocked") lines.push("", `after fixing the blockers: milestone-machine resume ${r.id}`);
  else if (["paused", "failed", "in_progress"].includes(r.status)) {
    lines.push("", `continue with: milestone-machine execute ${r.id}`);
  }
  return lines.join("\n");
}
