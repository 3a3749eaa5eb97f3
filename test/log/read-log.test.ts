import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEventsNamed, readLog } from "../../src/log/read-log.ts";

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

const line = (seq: number, event: string, data: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, seq, ts: "2026-01-01T00:00:00.000Z", milestone_id: "m", session_id: "s", event, data });

describe("readEventsNamed", () => {
  it("returns the events of one name in log order, as readLog would", () => {
    const file = logFile([
      line(1, "milestone_activated"),
      line(2, "task_started", { task_id: "a", attempt: 1 }),
      line(3, "task_completed", { task_id: "a", note: '"event":"task_started"' }),
      line(4, "task_started", { task_id: "b", attempt: 2 }),
      "",
    ]);
    const expected = readLog(file).events.filter((e) => e.event === "task_started");
    expect(readEventsNamed(file, "task_started")).toEqual(expected);
    expect(expected.map((e) => e.seq)).toEqual([2, 4]);
  });

  it("drops a torn line and reads a last line without its newline", () => {
    const file = logFile([line(1, "task_started", { task_id: "a" }), '{"v":1,"seq":2,"event":"task_started","da', line(3, "task_started", { task_id: "c" })]);
    expect(readEventsNamed(file, "task_started").map((e) => e.seq)).toEqual([1, 3]);
  });

  it("reads a missing log as empty", () => {
    expect(readEventsNamed(path.join(os.tmpdir(), "mm-no-such-dir", "x.jsonl"), "task_started")).toEqual([]);
  });
});
