// A person decides about a failed task: skip it so its dependents run, or retry it after a fix.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { CLI, makeProject, readEvents, runCli } from "../helpers/cli.ts";
import { eventsOf } from "../helpers/event-checks.ts";

const FAILING = [
  "id: m",
  "title: A failing task with a dependent",
  "tasks:",
  "  - id: bad",
  "    title: Fails until fixed",
  "    run: test -f fixed && echo bad >> ran.txt",
  "  - id: after",
  "    title: Depends on bad",
  "    run: echo after >> ran.txt",
  "    dependencies: [bad]",
  "",
].join("\n");

const ran = (project: string) => (fs.existsSync(path.join(project, "ran.txt")) ? fs.readFileSync(path.join(project, "ran.txt"), "utf8") : "");

describe("retry and skip", () => {
  it("skip marks a failed task skipped, and a resume runs its dependents", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": FAILING });
    expect((await runCli(["execute", "m", "--cwd", project])).code).toBe(3);
    const skip = await runCli(["skip", "m", "bad", "--json", "--cwd", project]);
    expect(skip.code).toBe(0);
    expect(JSON.parse(skip.stdout)).toEqual({ id: "m", task: "bad", status: "skipped", previous_status: "failed" });
    expect(fs.readFileSync(path.join(project, ".milestones/active/m.yaml"), "utf8")).toContain("status: skipped");

    const resumed = await runCli(["resume", "m", "--cwd", project]);
    expect(resumed.code).toBe(0);
    expect(ran(project)).toBe("after\n");
    const events = readEvents(project, "m");
    expect(eventsOf(events, "task_skipped", "bad")).toHaveLength(1);
    expect(eventsOf(events, "task_started", "bad")).toHaveLength(1);
    const status = JSON.parse((await runCli(["status", "m", "--json", "--cwd", project])).stdout);
    expect(status.tasks.map((t: { status: string }) => t.status)).toEqual(["skipped", "completed"]);
  });

  it("retry gives a failed task fresh attempts after a fix; a completed task is refused", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": FAILING });
    expect((await runCli(["execute", "m", "--cwd", project])).code).toBe(3);
    fs.writeFileSync(path.join(project, "fixed"), "");
    const retry = await runCli(["retry", "m", "bad", "--cwd", project]);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain("failed → pending");
    expect((await runCli(["resume", "m", "--cwd", project])).code).toBe(0);
    expect(ran(project)).toBe("bad\nafter\n");
    expect(eventsOf(readEvents(project, "m"), "task_started", "bad").map((e) => e.data.attempt)).toEqual([1, 2]);

    const again = await runCli(["retry", "m", "bad", "--cwd", project]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("is completed");
  });

  it("both are refused with exit 5 while an executor holds the milestone, and unknown tasks exit 2", async () => {
    const project = makeProject({
      ".milestones/active/m.yaml": FAILING.replace("run: test -f fixed && echo bad >> ran.txt", "run: sleep 30"),
    });
    const run = spawn(process.execPath, [CLI, "execute", "m", "--cwd", project, "--grace", "0"], { stdio: "ignore" });
    const exited = new Promise((r) => run.on("close", r));
    const lock = path.join(project, ".milestones/sessions/m.lock");
    for (let i = 0; i < 200 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 25));
    for (const name of ["retry", "skip"]) {
      const r = await runCli([name, "m", "bad", "--cwd", project]);
      expect(r.code, name).toBe(5);
      expect(r.stderr).toContain("refused while it runs");
    }
    run.kill("SIGINT");
    await exited;
    const unknown = await runCli(["skip", "m", "nope", "--cwd", project]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("has no task 'nope'");
    expect(unknown.stderr).toContain("its tasks: bad, after");
  });
});
