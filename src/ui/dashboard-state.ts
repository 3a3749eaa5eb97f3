// What the dashboard shows, folded from the event log: a pure reducer, so the live view of
// `execute` and `status --watch` (which replays another process's log) agree line for line.
import type { LoggedEvent } from "../log/event-types.ts";
import type { StatusReport } from "../cli/status-report.ts";

export interface RunningTask {
  id: string;
  attempt: number;
  /** Epoch ms of its task_started. */
  since: number;
  /** The attempt's output file, relative to the project directory, once spawned. */
  log: string | null;
}

export interface AgentView {
  name: string;
  state: string;
  detail: string;
}

export interface DashboardState {
  id: string;
  title: string;
  /** The lifecycle state, plus `pausing` between a pause request and the pause. */
  status: string;
  total: number;
  completed: number;
  failed: number;
  /** Skipped in the file before the run: done, but not counted as completed. */
  skipped: number;
  concurrency: number;
  /** Epoch ms of this session's milestone_activated. */
  activatedAt: number | null;
  /** Epoch ms of the stop event that ended it, which freezes the elapsed time. */
  stoppedAt: number | null;
  /** Sum and count of completed attempts' durations, for the ETA. */
  finishedMs: number;
  finishedCount: number;
  running: RunningTask[];
  /** From the milestone file's `blockers:` list, and from blocker events. */
  fileBlockers: string[];
  eventBlockers: string[];
  recent: LoggedEvent[];
  /** Who holds the milestone's lock (for --watch, where there is no actor to ask). */
  executor: { pid: number; host: string } | null;
}

export const RECENT_EVENTS = 5;
// Shown elsewhere on the dashboard (the bar, the running list) or mere bookkeeping.
const NOT_RECENT = new Set(["progress_updated", "task_spawned", "session_saved"]);
const STOPPED: Record<string, string> = {
  milestone_paused: "paused",
  milestone_blocked: "blocked",
  milestone_completed: "completed",
  milestone_failed: "failed",
  milestone_cancelled: "cancelled",
};
export const STOP_STATUSES: ReadonlySet<string> = new Set(Object.values(STOPPED));

const blockerText = (b: { type: string; detail: string; task: string | null }) => `${b.type}${b.task ? ` (${b.task})` : ""}: ${b.detail}`;

/** The state before any event: what the milestone file and the lock say. */
export function initialState(report: StatusReport): DashboardState {
  // Tasks completed by earlier sessions give a resumed run its ETA from the start.
  const durations = report.tasks
    .filter((t) => t.status === "completed" && t.started_at && t.completed_at)
    .map((t) => Date.parse(t.completed_at!) - Date.parse(t.started_at!))
    .filter((ms) => ms >= 0);
  return {
    id: report.id,
    title: report.title,
    status: report.status,
    total: report.progress.total_tasks,
    completed: report.progress.tasks_completed,
    failed: report.tasks.filter((t) => t.status === "failed").length,
    skipped: report.tasks.filter((t) => t.status === "skipped").length,
    concurrency: 1,
    activatedAt: null,
    stoppedAt: null,
    finishedMs: durations.reduce((sum, ms) => sum + ms, 0),
    finishedCount: durations.length,
    running: [],
    fileBlockers: report.blockers.map(blockerText),
    eventBlockers: [],
    recent: [],
    executor: report.executor ? { pid: report.executor.pid, host: report.executor.host } : null,
  };
}

/** Takes what only the files know (title, blockers, lock) from a fresh status report. */
export function withReport(state: DashboardState, report: StatusReport): DashboardState {
  return {
    ...state,
    title: report.title,
    fileBlockers: report.blockers.map(blockerText),
    executor: report.executor ? { pid: report.executor.pid, host: report.executor.host } : null,
  };
}

export function reduce(state: DashboardState, e: LoggedEvent): DashboardState {
  const d = e.data;
  const task = String(d.task_id ?? "");
  const recent = NOT_RECENT.has(e.event) ? state.recent : [...state.recent, e].slice(-RECENT_EVENTS);
  const next = { ...state, recent };
  const without = (ids: string[]) => state.running.filter((r) => !ids.includes(r.id));
  switch (e.event) {
    case "milestone_activated":
      // A new session: whatever an earlier one left "running" in the log is not running now.
      return { ...next, status: "in_progress", total: Number(d.total_tasks), concurrency: Number(d.concurrency) || 1, activatedAt: Date.parse(e.ts), stoppedAt: null, running: [] };
    case "milestone_pausing":
      return { ...next, status: "pausing" };
    case "task_started":
      return { ...next, running: [...without([task]), { id: task, attempt: Number(d.attempt) || 1, since: Date.parse(e.ts), log: null }] };
    case "task_spawned":
      return { ...next, running: state.running.map((r) => (r.id === task ? { ...r, log: typeof d.log === "string" ? d.log : null } : r)) };
    case "task_completed": {
      const ms = typeof d.duration_ms === "number" ? d.duration_ms : null;
      return {
        ...next,
        running: without([task]),
        finishedMs: state.finishedMs + (ms ?? 0),
        finishedCount: state.finishedCount + (ms === null ? 0 : 1),
      };
    }
    case "task_failed":
    case "task_retrying":
      return { ...next, running: without([task]) };
    case "tasks_interrupted": {
      const ids = Array.isArray(d.tasks) ? d.tasks.map((t: { task_id: string }) => t.task_id) : [];
      return { ...next, running: without(ids) };
    }
    case "progress_updated":
      return { ...next, completed: Number(d.tasks_completed), total: Number(d.total_tasks), failed: Number(d.tasks_failed ?? state.failed) };
    case "blocker_detected":
      return { ...next, eventBlockers: [...state.eventBlockers, blockerText({ type: String(d.type ?? "blocker"), detail: String(d.detail ?? ""), task: d.task_id ? task : null })] };
    case "milestone_blocked":
      return { ...next, status: "blocked", running: [], stoppedAt: Date.parse(e.ts), eventBlockers: d.reason ? [...state.eventBlockers, `blocked: ${d.reason}`] : state.eventBlockers };
    default:
      return e.event in STOPPED ? { ...next, status: STOPPED[e.event], running: [], stoppedAt: Date.parse(e.ts) } : next;
  }
}

/** Milliseconds until the last task is expected to finish: the work left at the mean duration of
 *  the tasks completed so far, spread over as many lanes as the concurrency allows; null until
 *  one task has completed. */
export function eta(state: DashboardState, now: number): number | null {
  if (state.finishedCount === 0) return null;
  const mean = state.finishedMs / state.finishedCount;
  const left = state.total - state.completed - state.skipped - state.failed;
  if (left <= 0) return 0;
  const underway = state.running.reduce((sum, r) => sum + Math.min(Math.max(0, now - r.since), mean), 0);
  return Math.max(0, (left * mean - underway) / Math.max(1, Math.min(state.concurrency, left)));
}

/** The agents as far as the log tells (for --watch; `execute` asks its actors instead). */
export function agentsFromEvents(state: DashboardState): AgentView[] {
  const live = state.status === "in_progress" || state.status === "pausing";
  const executorState = state.status === "pausing" ? "draining" : live ? "running" : "stopped";
  const holder = state.executor ? `pid ${state.executor.pid} on ${state.executor.host}` : "no executor";
  return [
    { name: "executor", state: executorState, detail: live ? `${state.running.length} running` : "" },
    { name: "progress", state: live ? "active" : "stopped", detail: `${state.completed}/${state.total}` },
    { name: "session", state: live && state.executor ? "active" : "stopped", detail: holder },
  ];
}
