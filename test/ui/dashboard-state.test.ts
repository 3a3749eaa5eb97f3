// The dashboard's view model and layout, without a terminal.
import { describe, expect, it } from "vitest";
import { agentsFromEvents, eta, initialState, reduce, type DashboardState } from "../../src/ui/dashboard-state.ts";
import { renderDashboard } from "../../src/ui/dashboard-render.ts";
import { fitLine, visibleWidth } from "../../src/ui/fit-line.ts";
import { lastLine } from "../../src/ui/tail-line.ts";
import { paint } from "../../src/ui/colors.ts";
import type { LoggedEvent } from "../../src/log/event-types.ts";
import type { StatusReport } from "../../src/cli/status-report.ts";

const T0 = Date.parse("2026-01-01T10:00:00.000Z");
let seq = 0;
const ev = (event: string, data: Record<string, unknown>, atMs = 0): LoggedEvent => ({
  v: 1,
  seq: ++seq,
  ts: new Date(T0 + atMs).toISOString(),
  milestone_id: "demo",
  session_id: "s1",
  event,
  data,
});

const report = (overrides: Partial<StatusReport> = {}): StatusReport => ({
  id: "demo",
  title: "A demo",
  status: "planned",
  file: "/x/demo.yaml",
  progress: { percentage: 0, tasks_completed: 0, total_tasks: 4 },
  tasks: ["a", "b", "c", "d"].map((id) => ({ id, title: id, status: "pending", attempts: 0, started_at: null, completed_at: null, commit: null })),
  blockers: [],
  session_id: null,
  executor: null,
  ...overrides,
});

const fold = (events: LoggedEvent[], from: DashboardState = initialState(report())) => events.reduce(reduce, from);

describe("the dashboard's view model", () => {
  const run = [
    ev("milestone_activated", { total_tasks: 4, concurrency: 2 }),
    ev("task_started", { task_id: "a", attempt: 1 }),
    ev("task_spawned", { task_id: "a", attempt: 1, pid: 10, log: ".milestones/logs/demo/a.1.log" }),
    ev("task_started", { task_id: "b", attempt: 1 }, 100),
    ev("task_completed", { task_id: "a", attempt: 1, duration_ms: 1000 }, 1000),
    ev("progress_updated", { percentage: 25, tasks_completed: 1, total_tasks: 4, tasks_failed: 0 }, 1000),
    ev("task_started", { task_id: "c", attempt: 1 }, 1000),
  ];

  it("follows running tasks, their output file and the counts", () => {
    const s = fold(run);
    expect(s.status).toBe("in_progress");
    expect(s.running.map((r) => r.id)).toEqual(["b", "c"]);
    expect(s.completed).toBe(1);
    expect(s.concurrency).toBe(2);
    const withLog = fold(run.slice(0, 3));
    expect(withLog.running[0]).toMatchObject({ id: "a", log: ".milestones/logs/demo/a.1.log", since: T0 });
  });

  it("keeps the last five events, leaving out what the bar and the task list already show", () => {
    const s = fold(run);
    expect(s.recent.map((e) => e.event)).toEqual(["milestone_activated", "task_started", "task_started", "task_completed", "task_started"]);
    expect(fold([...run, ev("task_started", { task_id: "d", attempt: 1 })]).recent).toHaveLength(5);
  });

  it("estimates the time left from the mean duration, the work under way and the concurrency", () => {
    const s = fold(run);
    // 3 tasks left at 1 s each, 0.9 s + 0 s already under way, over 2 lanes.
    expect(eta(s, T0 + 1000)).toBeCloseTo((3000 - 900) / 2);
    expect(eta(fold(run.slice(0, 4)), T0)).toBeNull();
    // A resumed run knows the durations of the tasks earlier sessions completed.
    const earlier = report();
    earlier.tasks[0] = { ...earlier.tasks[0], status: "completed", started_at: "2026-01-01T09:00:00.000Z", completed_at: "2026-01-01T09:00:02.000Z" };
    earlier.progress.tasks_completed = 1;
    expect(eta(initialState(earlier), T0)).toBe(3 * 2000);
  });

  it("a pause, an interruption and a new session clear what was running", () => {
    const paused = fold([...run, ev("milestone_pausing", { reason: "SIGINT" }), ev("tasks_interrupted", { tasks: [{ task_id: "b", attempt: 1 }] })]);
    expect(paused.status).toBe("pausing");
    expect(paused.running.map((r) => r.id)).toEqual(["c"]);
    expect(agentsFromEvents(paused)[0]).toMatchObject({ name: "executor", state: "draining" });
    const stopped = reduce(paused, ev("milestone_paused", { pending_tasks: 3 }));
    expect(stopped).toMatchObject({ status: "paused", running: [] });
    // A run killed with -9 leaves tasks "started" in the log; the next session starts afresh.
    const killed = fold([...run, ev("milestone_activated", { total_tasks: 4, concurrency: 3 })]);
    expect(killed.running).toEqual([]);
  });

  it("shows blockers from the milestone file and from blocker events", () => {
    const seeded = initialState(report({ blockers: [{ type: "merge_conflict", detail: "src/a.ts", task: "a", fix: null, detected_at: null }] }));
    const s = fold([ev("blocker_detected", { type: "disk_full", detail: "2% free" })], seeded);
    expect([...s.fileBlockers, ...s.eventBlockers]).toEqual(["merge_conflict (a): src/a.ts", "disk_full: 2% free"]);
  });
});

describe("the dashboard's lines", () => {
  const p = paint(false);
  const frame = (columns: number) =>
    renderDashboard(
      { state: fold([ev("milestone_activated", { total_tasks: 4, concurrency: 2 }), ev("task_started", { task_id: "build", attempt: 2 })]), agents: [], tails: new Map([["build", "compiling 3 of 9 — 日本語 output"]]), now: T0 + 2500 },
      columns,
      p,
    );

  it("shows the title, the bar with counts, a running task with its elapsed time and last output line", () => {
    const lines = frame(100);
    expect(lines[0]).toBe("A demo (demo)  in_progress");
    expect(lines[1]).toMatch(/^░+ 0\/4 0%  elapsed 2\.5s$/);
    expect(lines.find((l) => l.includes("build"))).toBe("  → build   2.5s #2  │ compiling 3 of 9 — 日本語 output");
  });

  it("fits every line into the width, counting wide characters as two columns", () => {
    for (const line of frame(30)) expect(visibleWidth(line)).toBeLessThanOrEqual(30);
    expect(fitLine("\x1b[2mabcdef\x1b[22m", 4)).toBe("\x1b[2mabc…\x1b[0m");
    expect(visibleWidth("日本")).toBe(4);
  });

  it("on a short terminal drops the recent events first, then running tasks beyond a count of them", () => {
    const busy = fold([
      ev("milestone_activated", { total_tasks: 9, concurrency: 8 }),
      ...["a", "b", "c", "d", "e", "f", "g", "h"].map((id) => ev("task_started", { task_id: id, attempt: 1 })),
    ]);
    const lines = (rows: number) => renderDashboard({ state: busy, agents: [], tails: new Map(), now: T0 }, 80, p, rows);
    expect(lines(30)).toHaveLength(3 + 8 + 1 + 1 + 5);
    expect(lines(14)).toHaveLength(14);
    expect(lines(14).filter((l) => l.startsWith("  →"))).toHaveLength(8);
    const short = lines(8);
    expect(short).toHaveLength(8);
    expect(short.filter((l) => l.startsWith("  →"))).toHaveLength(3);
    expect(short).toContain("  … 5 more");
    expect(short.at(-1)).toMatch(/^agents/);
  });

  it("takes a task's last output line without its colours, carriage-return rewrites or blank lines", () => {
    expect(lastLine("one\n\x1b[32mtwo\x1b[0m\n\n")).toBe("two");
    expect(lastLine("progress 10%\rprogress 90%\r\n")).toBe("progress 90%");
    expect(lastLine("")).toBe("");
  });
});
