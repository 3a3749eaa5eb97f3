// The file projection's catch-up at a resume: the milestone file, left behind the log by a run
// killed between two throttled writes, is brought up to date by replaying only what it may lack,
// and ends up exactly as a replay of the whole log would leave it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Subject } from "../../src/rx.ts";
import { FileProjection } from "../../src/milestone/project-events.ts";
import { replayStart } from "../../src/persist/resume-plan.ts";
import { MilestoneWriter } from "../../src/milestone/write-back.ts";
import type { LoggedEvent } from "../../src/log/event-types.ts";

const ORIGINAL = "id: m\ntitle: M # kept\nstatus: planned\ntasks:\n  - id: a\n    title: A\n    run: 'true'\n  - id: b\n    title: B\n    run: 'true'\n  - id: c\n    title: C\n    run: 'true'\n";
const INDEX = new Map([["a", 0], ["b", 1], ["c", 2]]);

// A run of a, b, c with a commit after each, one event per millisecond except that the progress
// updates after b's and c's completions share a millisecond.
function runEvents(): LoggedEvent[] {
  const steps: Array<[string, Record<string, unknown>]> = [["milestone_activated", { total_tasks: 3, concurrency: 1 }]];
  let done = 0;
  for (const id of ["a", "b", "c"]) {
    steps.push(["task_started", { task_id: id, attempt: 1 }], ["task_completed", { task_id: id, attempt: 1 }]);
    steps.push(["task_committed", { task_id: id, sha: `sha-${id}` }]);
    done++;
    steps.push(["progress_updated", { percentage: Math.round((done / 3) * 100), tasks_completed: done, total_tasks: 3 }]);
  }
  steps.push(["milestone_completed", {}]);
  const at = (ms: number) => new Date(Date.parse("2026-11-24T10:00:00.000Z") + ms).toISOString();
  const events = steps.map(([event, data], i): LoggedEvent => ({ v: 1, seq: i + 1, ts: at(i), milestone_id: "m", session_id: "s1", event, data }));
  const [, afterB, afterC] = events.filter((e) => e.event === "progress_updated");
  afterC.ts = afterB.ts;
  return events;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-projection-"));
  dirs.push(dir);
  return dir;
}

function fileAt(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const logText = (events: LoggedEvent[]) => events.map((e) => JSON.stringify(e)).join("\n");

/** Projects `events` onto a file holding `text` the way a resume does, and returns the file. */
function caughtUp(file: string, events: LoggedEvent[]): string {
  const text = fs.readFileSync(file, "utf8");
  const writer = new MilestoneWriter(file, text);
  const projection = new FileProjection(writer, INDEX);
  projection.catchUp(events, replayStart(logText(events), writer.get(["progress", "last_update"])), []);
  projection.close();
  return fs.readFileSync(file, "utf8");
}

describe("FileProjection.catchUp", () => {
  it("leaves the file as a replay of the whole log does, wherever the run was killed", () => {
    const dir = tempDir();
    const events = runEvents();
    const whole = caughtUp(fileAt(dir, "whole.yaml", ORIGINAL), events);
    expect(whole).toContain("commits_count: 3");
    expect(whole).toContain("title: M # kept");
    for (let cut = 0; cut <= events.length; cut++) {
      // The file as the killed run last wrote it: the events before the cut.
      const file = fileAt(dir, `cut-${cut}.yaml`, ORIGINAL);
      caughtUp(file, events.slice(0, cut));
      expect(caughtUp(file, events), `killed after ${cut} events`).toBe(whole);
    }
  });

  it("leaves the file as the run itself would have, event by event, when it applies only the last of many progress updates", () => {
    const dir = tempDir();
    const events = runEvents();
    // The run itself: every event applied as it is logged.
    const liveFile = fileAt(dir, "live.yaml", ORIGINAL);
    const writer = new MilestoneWriter(liveFile, ORIGINAL);
    const events$ = new Subject<LoggedEvent>();
    const live = new FileProjection(writer, INDEX).follow(events$);
    for (const e of events) events$.next(e);
    live.close();
    // A resume from a file written after the first progress update, so that it has the block.
    const firstProgress = events.findIndex((e) => e.event === "progress_updated");
    const file = fileAt(dir, "resumed.yaml", ORIGINAL);
    caughtUp(file, events.slice(0, firstProgress + 1));
    expect(fs.readFileSync(file, "utf8")).toContain("tasks_completed: 1");
    expect(caughtUp(file, events)).toBe(fs.readFileSync(liveFile, "utf8"));
  });

  it("starts at the first progress update the file has, and replays everything for a time the log does not have", () => {
    const events = runEvents();
    const log = logText(events);
    const progress = events.filter((e) => e.event === "progress_updated");
    expect(replayStart(log, undefined)).toBe(0);
    expect(replayStart(log, progress[0].ts)).toBe(progress[0].seq);
    // b's and c's updates share a time: the file may hold only b's.
    expect(progress[1].ts).toBe(progress[2].ts);
    expect(replayStart(log, progress[2].ts)).toBe(progress[1].seq);
    expect(replayStart(log, "2026-11-24T09:59:59.999Z")).toBe(0);
    expect(replayStart(log, "2026-11-24T10:00:00.003Z")).toBe(0);
  });
});
