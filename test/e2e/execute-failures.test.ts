// What happens when tasks fail, hang, or the run is interrupted: exit codes, logs and processes.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { alive, CLI, makeProject, readEvents, runCli } from "../helpers/cli.ts";
import { eventsOf } from "../helpers/event-checks.ts";

const milestone = (id: string, tasks: string) => `id: ${id}\ntitle: ${id}\ntasks:\n${tasks}`;

describe("failing and hanging tasks", () => {
  it("with on_failure: fail, a failing task is retried as configured, then the milestone fails with exit 1 after independent tasks ran", async () => {
    const project = makeProject({
      ".milestones/active/m.yaml": "on_failure: fail\n" + milestone(
        "m",
        [
          "  - id: bad",
          "    title: Always fails",
          "    run: echo attempt >> bad.txt; echo boom; exit 3",
          "    retries: 2",
          "  - id: after-bad",
          "    title: Depends on the failing task",
          "    run: touch after-bad.txt",
          "    dependencies: [bad]",
          "  - id: independent",
          "    title: Does not depend on it",
          "    run: sleep 0.3; touch independent.txt",
          "",
        ].join("\n"),
      ),
    });
    const r = await runCli(["execute", "m", "--cwd", project, "--retry-backoff", "10"]);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(path.join(project, "bad.txt"), "utf8")).toBe("attempt\nattempt\nattempt\n");
    expect(fs.existsSync(path.join(project, "independent.txt"))).toBe(true);
    expect(fs.existsSync(path.join(project, "after-bad.txt"))).toBe(false);
    expect(r.stderr).toContain(path.join(".milestones", "logs", "m", "bad.3.log"));
    expect(fs.readFileSync(path.join(project, ".milestones/logs/m/bad.3.log"), "utf8")).toBe("boom\n");

    const events = readEvents(project, "m");
    expect(eventsOf(events, "task_started", "bad").map((e) => e.data.attempt)).toEqual([1, 2, 3]);
    expect(eventsOf(events, "task_retrying", "bad")).toHaveLength(2);
    const failed = eventsOf(events, "task_failed", "bad");
    expect(failed).toHaveLength(1);
    expect(failed[0].data.detail).toContain("exited with code 3");
    const end = eventsOf(events, "milestone_failed");
    expect(end).toHaveLength(1);
    expect(end[0].data.failed_tasks).toEqual(["bad"]);
    expect(end[0].seq).toBeGreaterThan(eventsOf(events, "task_completed", "independent")[0].seq);

    const file = fs.readFileSync(path.join(project, ".milestones/active/m.yaml"), "utf8");
    expect(file).toMatch(/^status: failed$/m);
    const status = await runCli(["status", "m", "--json", "--cwd", project]);
    const report = JSON.parse(status.stdout);
    expect(report.status).toBe("failed");
    expect(report.tasks.find((t: { id: string }) => t.id === "bad")).toMatchObject({ status: "failed", attempts: 3 });
    expect(report.tasks.find((t: { id: string }) => t.id === "after-bad")).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("with on_failure: continue, a task that fails for good releases its dependents and the milestone completes", async () => {
    const project = makeProject({
      ".milestones/active/m.yaml": milestone(
        "m",
        [
          "  - id: optional",
          "    title: Nice to have",
          "    run: exit 7",
          "    on_failure: continue",
          "  - id: after",
          "    title: Runs anyway",
          "    run: touch after.txt",
          "    dependencies: [optional]",
          "",
        ].join("\n"),
      ),
    });
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(project, "after.txt"))).toBe(true);
    const events = readEvents(project, "m");
    expect(eventsOf(events, "task_failed", "optional")).toHaveLength(1);
    expect(eventsOf(events, "milestone_completed")[0].data.failed_tasks).toEqual(["optional"]);
    const file = fs.readFileSync(path.join(project, ".milestones/completed/m.yaml"), "utf8");
    expect(file).toMatch(/^status: completed$/m);
    expect(file).toMatch(/id: optional\n(.*\n)*?    status: failed/);
  });

  it("a task past its timeout is stopped with its whole process group, grandchildren included", async () => {
    const project = makeProject({
      ".milestones/active/slow.yaml": milestone(
        "slow",
        [
          "  - id: hang",
          "    title: Starts a grandchild and hangs",
          "    run: sleep 30 & echo $! > grandchild.pid; wait",
          "    timeout: 1s",
          "",
        ].join("\n"),
      ),
    });
    const r = await runCli(["execute", "slow", "--cwd", project]);
    expect(r.code).toBe(3);
    const grandchild = Number(fs.readFileSync(path.join(project, "grandchild.pid"), "utf8"));
    expect(grandchild).toBeGreaterThan(0);
    expect(alive(grandchild)).toBe(false);
    const failed = eventsOf(readEvents(project, "slow"), "task_failed", "hang");
    expect(failed[0].data.reason).toBe("timeout");
  });

  it("verify must pass for a task to count as completed", async () => {
    const project = makeProject({
      ".milestones/active/v.yaml": milestone(
        "v",
        ["  - id: t", "    title: Writes the wrong thing", "    run: echo no > out.txt", "    verify: grep -q yes out.txt", ""].join("\n"),
      ),
    });
    const r = await runCli(["execute", "v", "--cwd", project]);
    expect(r.code).toBe(3);
    const failed = eventsOf(readEvents(project, "v"), "task_failed", "t");
    expect(failed[0].data.reason).toBe("verify");
  });
});

describe("one executor per milestone, and Ctrl-C", () => {
  it("a second execute exits 5 naming the holder; SIGINT pauses with exit 4; execute again finishes the rest", async () => {
    const project = makeProject({
      ".milestones/active/long.yaml": milestone(
        "long",
        [
          "  - id: quick",
          "    title: Quick",
          "    run: echo quick >> ran.txt",
          "  - id: slow",
          "    title: Slow",
          "    run: echo slow-start >> ran.txt; sleep 30; echo slow-end >> ran.txt",
          "    dependencies: [quick]",
          "",
        ].join("\n"),
      ),
    });
    const first = spawn(process.execPath, [CLI, "execute", "long", "--cwd", project, "--grace", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    first.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => first.on("close", (code) => resolve(code)));
    const ranFile = path.join(project, "ran.txt");
    for (let i = 0; i < 200 && !(fs.existsSync(ranFile) && fs.readFileSync(ranFile, "utf8").includes("slow-start")); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const second = await runCli(["execute", "long", "--cwd", project]);
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`being executed by pid ${first.pid}`);

    first.kill("SIGINT");
    expect(await exited).toBe(4);
    expect(out).toContain("paused");
    const slowPid = eventsOf(readEvents(project, "long"), "task_started", "slow")[0].data.pid as number;
    expect(alive(slowPid)).toBe(false);
    const file = fs.readFileSync(path.join(project, ".milestones/active/long.yaml"), "utf8");
    expect(file).toMatch(/^status: paused$/m);
    expect(fs.existsSync(path.join(project, ".milestones/sessions/long.lock"))).toBe(false);

    fs.writeFileSync(
      path.join(project, ".milestones/active/long.yaml"),
      file.replace("sleep 30; ", ""),
    );
    const resumed = await runCli(["execute", "long", "--cwd", project]);
    expect(resumed.code).toBe(0);
    expect(fs.readFileSync(ranFile, "utf8")).toBe("quick\nslow-start\nslow-start\nslow-end\n");
    // Attempt numbers continue across runs: the interrupted attempt's log is kept.
    const starts = eventsOf(readEvents(project, "long"), "task_started", "slow");
    expect(starts.map((e) => e.data.attempt)).toEqual([1, 2]);
    expect(fs.readFileSync(path.join(project, ".milestones/logs/long/slow.1.log"), "utf8")).toBe("");
    expect(fs.existsSync(path.join(project, ".milestones/logs/long/slow.2.log"))).toBe(true);
  });
});
