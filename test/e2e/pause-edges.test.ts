// Issue 19, item 13: a pause never starts a retry, and a run whose last task finishes within the
// grace period is completed, not paused. Through the built CLI, with real signals.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, makeProject, readEvents } from "../helpers/cli.ts";

function start(project: string, extra: string[] = []): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, "execute", "m", "--cwd", project, ...extra], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  return { child, output: () => out, done: new Promise((resolve) => child.on("close", (code) => resolve(code))) };
}

const until = (test: () => boolean) =>
  new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (test()) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });

describe("pausing", () => {
  it("during a retry's backoff starts no new attempt: exit 4 at once, and the resume makes that attempt", async () => {
    const project = makeProject({
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: flaky, title: F, retries: 1, run: 'test -f \"$MM_PROJECT/tried\" || { touch \"$MM_PROJECT/tried\"; exit 1; }' }\n",
    });
    const run = start(project, ["--retry-backoff", "3000"]);
    await until(() => run.output().includes("attempt 2 at"));
    const asked = Date.now();
    run.child.kill("SIGINT");
    expect(await run.done).toBe(4);
    expect(Date.now() - asked).toBeLessThan(2500);
    const events = readEvents(project, "m");
    expect(events.filter((e) => e.event === "task_started").map((e) => e.data.attempt)).toEqual([1]);
    const resumed = spawnSync(process.execPath, [CLI, "resume", "m", "--cwd", project], { encoding: "utf8" });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readEvents(project, "m").filter((e) => e.event === "task_started").map((e) => e.data.attempt)).toEqual([1, 2]);
  });

  it("whose last running task finishes within the grace period ends completed (exit 0), not paused", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: last, title: L, run: sleep 0.8 }\n" });
    const run = start(project);
    await until(() => run.output().includes("last running as pid"));
    run.child.kill("SIGINT");
    expect(await run.done).toBe(0);
    expect(fs.existsSync(path.join(project, ".milestones/completed/m.yaml"))).toBe(true);
    expect(readEvents(project, "m").map((e) => e.event)).toContain("milestone_completed");
  });
});

describe("the engine's fields in a person's file", () => {
  it("an execution.started_at: null the person wrote is filled in when the run starts", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": "id: m\nexecution:\n  started_at: null\ntasks:\n  - { id: t, title: T, run: 'true' }\n" });
    const r = spawnSync(process.execPath, [CLI, "execute", "m", "--cwd", project], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const text = fs.readFileSync(path.join(project, ".milestones/completed/m.yaml"), "utf8");
    expect(text).toMatch(/^ {2}started_at: "?\d{4}-\d{2}-\d{2}T/m);
  });
});
