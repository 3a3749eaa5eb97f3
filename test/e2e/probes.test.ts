// The blockers agent's probes through the CLI, each with a real trigger: a failing test
// command, a task running past warn_after, a disk threshold above the free space. Each blocks
// with exit 3 and its blocker in the file and the log; after the fix, resume completes.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alive, makeProject, readEvents, runCli } from "../helpers/cli.ts";
import { eventsOf } from "../helpers/event-checks.ts";

const file = (project: string, place = "active") => parse(fs.readFileSync(path.join(project, `.milestones/${place}/m.yaml`), "utf8"));

describe("blocker probes", () => {
  it("a failing test command blocks after the task that broke it; independent work finishes; fixed, resume completes", async () => {
    const project = makeProject({
      ".milestones/config.yaml": "checks:\n  test: test ! -f broken.txt || { echo 'expected no broken.txt'; exit 4; }\n",
      ".milestones/active/m.yaml": [
        "id: m",
        "tasks:",
        "  - id: breaks",
        "    title: Breaks the tests",
        "    run: touch broken.txt",
        "  - id: after",
        "    title: Depends on it, and takes long enough for the tests to report first",
        "    run: sleep 2; touch after.txt",
        "    dependencies: [breaks]",
        "  - id: side",
        "    title: Independent and slow",
        "    run: sleep 1; touch side.txt",
        "",
      ].join("\n"),
    });
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("test_failed");
    expect(r.stderr).toContain("expected no broken.txt");
    // The tests run beside the next tasks (they do not hold back dependents): a task already
    // running when they fail may finish, nothing new starts.
    expect(fs.existsSync(path.join(project, "side.txt"))).toBe(true);
    const blocked = file(project);
    expect(blocked.status).toBe("blocked");
    expect(blocked.blockers).toEqual([expect.objectContaining({ type: "test_failed", detail: expect.stringContaining("exit") })]);
    const events = readEvents(project, "m");
    expect(eventsOf(events, "blocker_detected")[0].data).toMatchObject({ type: "test_failed" });
    expect(eventsOf(events, "tests_checked").some((e) => e.data.ok === false)).toBe(true);

    const seenBefore = readEvents(project, "m").length;
    const stillBroken = await runCli(["resume", "m", "--cwd", project]);
    expect(stillBroken.code).toBe(3);
    expect(eventsOf(readEvents(project, "m").slice(seenBefore), "task_started")).toHaveLength(0);

    fs.rmSync(path.join(project, "broken.txt"));
    const resumed = await runCli(["resume", "m", "--cwd", project]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(fs.existsSync(path.join(project, "after.txt"))).toBe(true);
    expect(eventsOf(readEvents(project, "m"), "blocker_cleared")).toEqual([expect.objectContaining({ data: expect.objectContaining({ type: "test_failed" }) })]);
    expect(file(project, "completed").blockers).toEqual([]);
  });

  it("a task without timeout running past warn_after is stopped and blocks; resume runs it again", async () => {
    const project = makeProject({
      ".milestones/active/m.yaml": [
        "id: m",
        "checks: { warn_after: 1s, interval: 300ms }",
        "tasks:",
        "  - id: hangs",
        "    title: Hangs until fixed",
        "    run: echo $$ > pid.txt; test -f fixed || sleep 60",
        "",
      ].join("\n"),
    });
    const started = Date.now();
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.stderr).toContain("task_running_long");
    const pid = Number(fs.readFileSync(path.join(project, "pid.txt"), "utf8"));
    expect(alive(pid)).toBe(false);
    expect(file(project).blockers).toEqual([expect.objectContaining({ type: "task_running_long", task: "hangs" })]);
    expect(file(project).tasks[0].status).toBe("pending");

    fs.writeFileSync(path.join(project, "fixed"), "");
    const resumed = await runCli(["resume", "m", "--cwd", project]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(eventsOf(readEvents(project, "m"), "task_started", "hangs").map((e) => e.data.attempt)).toEqual([1, 2]);
  });

  it("less free disk than checks.min_free_mb blocks before any task runs; with a lower threshold, resume completes", async () => {
    const project = makeProject({
      ".milestones/config.yaml": "checks:\n  min_free_mb: 1000000000\n",
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - id: t\n    title: T\n    run: touch t.txt\n",
    });
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("disk_low");
    expect(fs.existsSync(path.join(project, "t.txt"))).toBe(false);
    expect(file(project).blockers).toEqual([expect.objectContaining({ type: "disk_low" })]);
    expect(eventsOf(readEvents(project, "m"), "task_started")).toHaveLength(0);
    const status = await runCli(["status", "m", "--cwd", project]);
    expect(status.stdout).toContain("fix: free disk space");
    expect(status.stdout).toContain("after fixing the blockers: milestone-machine resume m");

    fs.writeFileSync(path.join(project, ".milestones/config.yaml"), "checks:\n  min_free_mb: 1\n");
    const resumed = await runCli(["resume", "m", "--cwd", project]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(fs.existsSync(path.join(project, "t.txt"))).toBe(true);
  });
});
