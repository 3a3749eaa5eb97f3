// The executor's task table after a plan edit: what tasks did so far is kept, new tasks are
// scheduled when their dependencies are done.
import { describe, expect, it } from "vitest";
import { buildTaskTable, replanTable, type TaskEntry } from "../../src/milestone/readiness.ts";

const entry = (id: string, deps: string[] = [], status: TaskEntry["status"] = "pending"): TaskEntry => ({ id, deps, retries: 0, onFailure: "block", status, attempts: 0 });

describe("replanTable", () => {
  it("keeps running, failed and completed tasks as they are and makes new ready tasks ready", () => {
    const { rows } = buildTaskTable([entry("done", [], "completed"), entry("run"), entry("bad"), entry("wait", ["run"])]);
    rows.run.status = "in_progress";
    rows.bad.status = "failed";
    rows.done.attempts = 1;
    const next = replanTable(rows, [entry("done"), entry("run"), entry("bad"), entry("wait", ["run"]), entry("new", ["done"]), entry("later", ["run"])], ["run"]);
    expect(next.rows.done).toMatchObject({ status: "completed", attempts: 1 });
    expect(next.rows.run.status).toBe("in_progress");
    expect(next.rows.bad.status).toBe("failed");
    expect(next.ready).toEqual(["new"]);
    expect(next.rows.later.waiting).toBe(1);
    expect(next.rows.run.dependents).toEqual(["wait", "later"]);
  });
});
