// Which running tasks have run too long, and when the next one will, on a fixed clock.
import { describe, expect, it } from "vitest";
import { findLongRunning, nextLongRunningCheck } from "../../src/probes/long-running.ts";

const HOUR = 3_600_000;
const NOW = new Date("2025-03-01T12:00:00.000Z");

const running = [
  { taskId: "hangs", startedAt: "2025-03-01T10:30:00.000Z", hasTimeout: false },
  { taskId: "bounded", startedAt: "2025-03-01T09:00:00.000Z", hasTimeout: true },
  { taskId: "young", startedAt: "2025-03-01T11:40:00.000Z", hasTimeout: false },
  { taskId: "younger", startedAt: "2025-03-01T11:50:00.000Z", hasTimeout: false },
];

describe("findLongRunning", () => {
  it("reports a task without a timeout that ran longer than warn_after, and only that one", () => {
    expect(findLongRunning(running, HOUR, NOW)).toEqual([
      {
        type: "task_running_long",
        task: "hangs",
        detail: "task 'hangs' has been running for 1h30m (since 2025-03-01T10:30:00.000Z), longer than checks.warn_after (1h00m), and has no timeout",
        fix: "check whether 'hangs' hangs (its log); give it a timeout or raise checks.warn_after, then resume",
      },
    ]);
  });

  it("counts a task exactly at warn_after as too long, one millisecond before as not", () => {
    const task = [{ taskId: "t", startedAt: "2025-03-01T11:00:00.000Z", hasTimeout: false }];
    expect(findLongRunning(task, HOUR, NOW)).toHaveLength(1);
    expect(findLongRunning(task, HOUR, new Date(NOW.getTime() - 1))).toEqual([]);
  });

  it("ignores a start time it cannot read", () => {
    expect(findLongRunning([{ taskId: "t", startedAt: "yesterday-ish", hasTimeout: false }], HOUR, NOW)).toEqual([]);
  });
});

describe("nextLongRunningCheck", () => {
  it("is the time the earliest task not yet reported crosses warn_after", () => {
    expect(nextLongRunningCheck(running, HOUR, NOW)).toBe("2025-03-01T12:40:00.000Z");
  });

  it("is null when nothing is left to cross", () => {
    expect(nextLongRunningCheck(running.slice(0, 2), HOUR, NOW)).toBeNull();
    expect(nextLongRunningCheck([], HOUR, NOW)).toBeNull();
  });
});
