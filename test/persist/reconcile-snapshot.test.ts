// A resume reads the running tasks out of the newest snapshot: the process group to kill and the
// end of a backoff to wait for. Snapshots from before the executor kept running tasks as data
// (one task actor per running task) must still be read the same way.
import { describe, expect, it } from "vitest";
import type { Envelope } from "../../src/persist/envelope.ts";
import { reconcile, type PlannedTask } from "../../src/persist/reconcile.ts";

const PLANNED: PlannedTask[] = ["a", "b", "c"].map((id) => ({ id, deps: [], retries: 2, status: "pending", onFailure: "block" }));
const RETRY_AT = "2026-11-24T12:00:05.000Z";

const row = (id: string, status: string, attempts: number, retryAt: string | null = null) => ({
  id, deps: [], retries: 2, onFailure: "block", status, attempts, retryAt, waiting: 0, dependents: [],
});

function envelope(executor: { context: Record<string, unknown>; children?: Record<string, unknown> }): Envelope {
  return {
    schema: 1,
    machine: "milestone",
    version: 2,
    milestone_id: "m",
    session_id: "20261124T120000-abcdef",
    seq: 10,
    saved_at: "2026-11-24T12:00:01.000Z",
    save_reason: "checkpoint",
    snapshot: {
      status: "active",
      value: { in_progress: {} },
      context: { milestoneId: "m", tasks: [] },
      children: { executor: { snapshot: { value: "running", context: executor.context, children: executor.children ?? {} } } },
      historyValue: {},
    },
  } as unknown as Envelope;
}

// a: completed; b: running attempt 1 as pid 4242; c: attempt 1 failed, waiting to retry.
const expected = {
  tasks: [
    { id: "a", status: "completed", attempts: 1, retryAt: null },
    { id: "b", status: "pending", attempts: 1, retryAt: null },
    { id: "c", status: "in_progress", attempts: 1, retryAt: RETRY_AT },
  ],
  inFlight: [{ taskId: "b", attempt: 1, pgid: 4242 }],
};

const summary = (r: ReturnType<typeof reconcile>) => ({
  tasks: r.tasks.map(({ id, status, attempts, retryAt }) => ({ id, status, attempts, retryAt })),
  inFlight: r.inFlight,
});

describe("reconcile from a snapshot taken mid-run", () => {
  it("takes a running attempt's process group and a backoff's end from the executor's flights", () => {
    const snapshot = envelope({
      context: {
        rows: { a: row("a", "completed", 1), b: row("b", "in_progress", 1), c: row("c", "in_progress", 1, RETRY_AT) },
        flights: {
          b: { attempt: 1, lastAttempt: 3, pid: 4242, startedAt: "2026-11-24T12:00:00.500Z", committing: false },
          c: { attempt: 1, lastAttempt: 3, pid: null, startedAt: null, committing: false },
        },
      },
    });
    expect(summary(reconcile(PLANNED, snapshot, []))).toEqual(expected);
  });

  it("reads snapshots saved with one task actor per running task the same way", () => {
    const snapshot = envelope({
      // The row of a task in backoff had no retryAt yet when the snapshot was taken: its actor had it.
      context: { rows: { a: row("a", "completed", 1), b: row("b", "in_progress", 1), c: row("c", "in_progress", 1) } },
      children: {
        "task:b": { snapshot: { value: "running", context: { taskId: "b", attempt: 1, pid: 4242, retryAt: null } } },
        "task:c": { snapshot: { value: "retrying", context: { taskId: "c", attempt: 1, pid: null, retryAt: RETRY_AT } } },
      },
    });
    expect(summary(reconcile(PLANNED, snapshot, []))).toEqual(expected);
  });
});
