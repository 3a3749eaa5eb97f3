// The dashboard's lines for a given width: a pure function of the view model and the clock, so
// the layout is tested without a terminal.
import type { Paint } from "./colors.ts";
import { formatEvent } from "./event-line.ts";
import { fitLine } from "./fit-line.ts";
import { eta, type AgentView, type DashboardState } from "./dashboard-state.ts";

export interface Frame {
  state: DashboardState;
  agents: AgentView[];
  /** Last output line of each running task, by task id. */
  tails: ReadonlyMap<string, string>;
  now: number;
}

/** Human duration: 0.4s, 12s, 3m05s, 1h02m. */
export function duration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function statusColour(status: string, p: Paint): (s: string) => string {
  if (status === "completed") return p.green;
  if (status === "failed" || status === "blocked") return p.red;
  if (status === "in_progress") return p.cyan;
  return p.yellow;
}

/** At most `rows` lines of at most `columns` columns. A short terminal loses the recent events
 *  first, then running tasks beyond the first (counted in a "more" line). */
export function renderDashboard({ state, agents, tails, now }: Frame, columns: number, p: Paint, rows = Infinity): string[] {
  const done = state.completed + state.skipped;
  const fraction = state.total ? Math.min(1, done / state.total) : 1;
  const barWidth = Math.max(10, Math.min(30, columns - 50));
  const filled = Math.round(fraction * barWidth);
  const bar = p.green("█".repeat(filled)) + p.dim("░".repeat(barWidth - filled));
  const remaining = eta(state, now);
  const live = state.status === "in_progress" || state.status === "pausing";
  const timing = [
    state.activatedAt !== null ? `elapsed ${duration((state.stoppedAt ?? now) - state.activatedAt)}` : "",
    live && remaining !== null ? `ETA ${duration(remaining)}` : "",
    state.failed ? p.red(`${state.failed} failed`) : "",
  ].filter(Boolean);

  const idWidth = Math.max(4, ...state.running.map((r) => r.id.length));
  const running = state.running.map((r) => {
    const attempt = r.attempt > 1 ? p.yellow(` #${r.attempt}`) : "";
    const tail = tails.get(r.id);
    return `  ${p.cyan("→")} ${r.id.padEnd(idWidth)} ${duration(now - r.since).padStart(6)}${attempt}${tail ? `  ${p.dim(`│ ${tail}`)}` : ""}`;
  });
  const agentLine = agents.map((a) => `${p.bold(a.name)} ${agentColour(a.state, p)(a.state)}${a.detail ? p.dim(` (${a.detail})`) : ""}`).join("  ");
  const blockers = [...state.fileBlockers, ...state.eventBlockers];

  const head = [
    `${p.bold(state.title)} ${p.dim(`(${state.id})`)}  ${statusColour(state.status, p)(state.status)}`,
    `${bar} ${done}/${state.total} ${Math.floor(fraction * 100)}%${timing.length ? `  ${timing.join(" · ")}` : ""}`,
    `${p.bold("running")} ${p.dim(`${state.running.length}/${state.concurrency}`)}`,
  ];
  const middle = [
    `${p.bold("agents")}  ${agentLine}`,
    ...(blockers.length ? [p.red(p.bold("blockers")), ...blockers.map((b) => `  ${p.red("■")} ${b}`)] : []),
  ];
  const recent = state.recent.map((e) => `  ${formatEvent(e, p)}`);
  const fixed = head.length + middle.length;
  const recentShown = Math.max(0, Math.min(recent.length, rows - fixed - Math.max(1, running.length) - 1));
  const runningRoom = Math.max(1, rows - fixed - (recentShown ? recentShown + 1 : 0));
  const runningShown =
    running.length > runningRoom ? [...running.slice(0, runningRoom - 1), p.dim(`  … ${running.length - runningRoom + 1} more`)] : running;
  const lines = [
    ...head,
    ...(runningShown.length ? runningShown : [p.dim("  none")]),
    ...middle,
    ...(recentShown ? [p.bold("recent"), ...recent.slice(-recentShown)] : []),
  ];
  return lines.slice(0, rows).map((line) => fitLine(line, columns));
}

function agentColour(state: string, p: Paint): (s: string) => string {
  if (state === "running" || state === "active") return p.green;
  if (state === "stopped" || state === "done") return p.dim;
  return p.yellow;
}
