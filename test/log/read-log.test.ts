import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LoggedEvent } from "../../src/log/event-types.ts";
import { forEachEventNamed, parseLog, parseLogAfter, progressSeqAt, readLog } from "../../src/log/read-log.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function logFile(lines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-read-log-"));
  dirs.push(dir);
  const file = path.join(dir, "execution-m.jsonl");
  fs.writeFileSync(file, lines.join("\n"));
  return file;
}

const line = (seq: number, event: string, data: Record<string, unknown> = {}, ts = "2026-01-01T00:00:00.000Z") =>
  JSON.stringify({ v: 1, seq, ts, milestone_id: "m", session_id: "s", event, data });

// What forEachEventNamed hands over, collected.
function eventsNamed(file: string, name: string, chunkBytes?: number): LoggedEvent[] {
  const events: LoggedEvent[] = [];
  forEachEventNamed(file, name, (event) => events.push(event), chunkBytes);
  return events;
}

describe("forEachEventNamed", () => {
  it("returns the events of one name in log order, as readLog would", () => {
    const file = logFile([
      line(1, "milestone_activated"),
      line(2, "task_started", { task_id: "a", attempt: 1 }),
      line(3, "task_completed", { task_id: "a", note: '"event":"task_started"' }),
      line(4, "task_started", { task_id: "b", attempt: 2 }),
      "",
    ]);
    const expected = readLog(file).events.filter((e) => e.event === "task_started");
    expect(eventsNamed(file, "task_started")).toEqual(expected);
    expect(expected.map((e) => e.seq)).toEqual([2, 4]);
  });

  it("drops a torn line and reads a last line without its newline", () => {
    const file = logFile([line(1, "task_started", { task_id: "a" }), '{"v":1,"seq":2,"event":"task_started","da', line(3, "task_started", { task_id: "c" })]);
    expect(eventsNamed(file, "task_started").map((e) => e.seq)).toEqual([1, 3]);
  });

  it("reads a log a chunk at a time: lines across chunks, longer than a chunk, with multi-byte characters", () => {
    const file = logFile([
      line(1, "task_started", { task_id: "é", title: "Ünïcödé ✓ 🚀".repeat(20) }),
      line(2, "task_completed", { task_id: "é" }),
      '{"v":1,"seq":3,"event":"task_started","da',
      line(4, "task_started", { task_id: "b", attempt: 2, note: "x".repeat(300) }),
      line(5, "task_started", { task_id: "🚀", attempt: 1 }),
    ]);
    const expected = readLog(file).events.filter((e) => e.event === "task_started");
    expect(expected.map((e) => e.seq)).toEqual([1, 4, 5]);
    for (const chunk of [1, 5, 7, 64, 1 << 20]) expect(eventsNamed(file, "task_started", chunk)).toEqual(expected);
  });

  it("reads a missing log as empty", () => {
    expect(eventsNamed(path.join(os.tmpdir(), "mm-no-such-dir", "x.jsonl"), "task_started")).toEqual([]);
  });
});

// A resume's log: a run of tasks, a torn line from a crash in the middle, the run going on.
function resumeLog(): string[] {
  const lines: string[] = [];
  let seq = 0;
  let progressAt = "";
  const at = (ms: number) => new Date(Date.parse("2026-01-01T00:00:00.000Z") + ms).toISOString();
  for (let i = 0; i < 6; i++) {
    const task = { task_id: `t${i}`, attempt: 1 };
    lines.push(line(++seq, "task_started", task, at(seq)), line(++seq, "task_completed", task, at(seq)));
    if (i % 2) lines.push(line(++seq, "task_committed", { ...task, sha: `s${i}` }, at(seq)));
    // t4's progress update is logged in the same millisecond as t3's.
    progressAt = i === 4 ? progressAt : at(++seq);
    lines.push(line(i === 4 ? ++seq : seq, "progress_updated", { tasks_completed: i + 1 }, progressAt));
    if (i === 2) lines.push('{"v":1,"seq":99,"ts":"2026-01-01T00:00:00.0');
  }
  return lines;
}

describe("parseLogAfter", () => {
  const needed = new Set(["task_completed", "task_committed"]);

  it("parses every line after the seq and, before it, only the events asked for, as parseLog reads them", () => {
    const text = `${resumeLog().join("\n")}\n`;
    const all = parseLog(text);
    for (let after = 0; after <= 25; after++) {
      const read = parseLogAfter(text, after, needed);
      expect(read.events, `after ${after}`).toEqual(all.events.filter((e) => e.seq > after || needed.has(e.event)));
      expect(read.torn).toEqual(all.torn);
      expect(read.lastSeq).toBe(all.events.at(-1)!.seq);
    }
  });

  it("takes the seq of the last whole line, and parses a line it cannot read the head of", () => {
    const foreign = JSON.stringify({ seq: 3, v: 1, event: "task_started", data: {} });
    const text = [line(1, "task_started"), line(2, "task_started"), foreign, line(4, "task_started"), '{"v":1,"seq":5,"ts":"x'].join("\n");
    const read = parseLogAfter(text, 4, needed);
    expect(read.events.map((e) => e.seq)).toEqual([3]);
    expect(read.torn).toEqual([5]);
    expect(read.lastSeq).toBe(4);
  });
});

describe("progressSeqAt", () => {
  it("finds the first progress update logged at a time, and nothing for a time the log lacks", () => {
    const text = resumeLog().join("\n");
    const progress = parseLog(text).events.filter((e) => e.event === "progress_updated");
    expect(progressSeqAt(text, progress[0].ts)).toBe(progress[0].seq);
    // t3's and t4's updates share a millisecond: the file may hold only the first.
    expect(progress[4].ts).toBe(progress[3].ts);
    expect(progressSeqAt(text, progress[4].ts)).toBe(progress[3].seq);
    expect(progressSeqAt(text, "2026-01-01T00:00:00.000Z")).toBeNull();
    expect(progressSeqAt(text, "2027-01-01T00:00:00.000Z")).toBeNull();
  });
});
