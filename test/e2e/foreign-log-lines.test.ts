// Issue 19, item 10: the log reader trusts no foreign line. A well-formed line of another
// milestone, or one out of sequence, appended after a crash, is refused and reported; it never
// makes a resume count a task as completed.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, readEvents, runCli } from "../helpers/cli.ts";

describe("a resume reading a log with foreign lines", () => {
  it("refuses another milestone's line and an out-of-order one, reports them, and runs the task they claimed completed", async () => {
    const project = makeProject({
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: a, title: A, run: echo a >> \"$MM_PROJECT/ran\"; sleep 0.3 }\n  - { id: b, title: B, dependencies: [a], run: echo b >> \"$MM_PROJECT/ran\" }\n",
    });
    const killed = await runCli(["execute", "m", "--cwd", project], { env: { MM_CRASH_AT: "after-spawn" } });
    expect(killed.signal).toBe("SIGKILL");
    const log = path.join(project, ".milestones/logs/execution-m.jsonl");
    const last = readEvents(project, "m").at(-1)!;
    const line = (seq: number, milestone: string) =>
      JSON.stringify({ v: 1, seq, ts: new Date().toISOString(), milestone_id: milestone, session_id: "20260101T000000-f0f0f0", event: "task_completed", data: { task_id: "a", attempt: 1, duration_ms: 1 } });
    fs.appendFileSync(log, `${line(last.seq + 1, "other")}\n${line(1, "m")}\n`);
    const lines = fs.readFileSync(log, "utf8").trim().split("\n").length;

    const r = await runCli(["resume", "m", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`2 log line(s) that are not this milestone's refused (line ${lines - 1}: belongs to milestone 'other'; line ${lines}: seq 1 does not follow ${last.seq})`);
    // a ran again (the claim was not believed), then b, in that order.
    expect(fs.readFileSync(path.join(project, "ran"), "utf8").trim().split("\n").slice(-2)).toEqual(["a", "b"]);
  });
});
