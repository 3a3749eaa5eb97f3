// A task that fails for good blocks its milestone (the default): independent work finishes,
// the blocker is recorded and escalated, exit 3; after a person's fix and `retry`, resume runs on.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { parse } from "yaml";
import { makeProject, readEvents, runCli } from "../helpers/cli.ts";
import { eventsOf } from "../helpers/event-checks.ts";
import { milestoneMachine } from "../../machines/milestone.ts";

const MILESTONE = [
  "id: m",
  "title: Blocks on a failure",
  "tasks:",
  "  - id: bad",
  "    title: Fails until fixed",
  "    run: test -f fixed && echo bad >> ran.txt",
  "    retries: 1",
  "  - id: after",
  "    title: Depends on bad",
  "    run: echo after >> ran.txt",
  "    dependencies: [bad]",
  "  - id: last",
  "    title: Depends on after",
  "    run: echo last >> ran.txt",
  "    dependencies: [after]",
  "  - id: independent",
  "    title: Does not depend on bad",
  "    run: sleep 0.3; echo independent >> ran.txt",
  "",
].join("\n");

const file = (project: string) => parse(fs.readFileSync(path.join(project, ".milestones/active/m.yaml"), "utf8"));
const ran = (project: string) => fs.readFileSync(path.join(project, "ran.txt"), "utf8");

describe("a failure blocks the milestone", () => {
  it("exits 3 with the blocker recorded, keeps blocking until retried, then finishes", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": MILESTONE });
    const r = await runCli(["execute", "m", "--cwd", project, "--retry-backoff", "10"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("blocker: task bad failed after 2 attempt(s)");
    expect(r.stderr).toContain("milestone-machine retry m bad");
    expect(ran(project)).toBe("independent\n");

    const blocked = file(project);
    expect(blocked.status).toBe("blocked");
    expect(blocked.blockers).toHaveLength(1);
    expect(blocked.blockers[0]).toMatchObject({ type: "task_failed", task: "bad", detail: "task bad failed after 2 attempt(s)" });
    expect(blocked.tasks.map((t: { status: string }) => t.status)).toEqual(["failed", "blocked", "blocked", "completed"]);
    const events = readEvents(project, "m");
    expect(eventsOf(events, "blocker_detected")).toHaveLength(1);
    expect(eventsOf(events, "blockers_escalated")).toHaveLength(1);
    expect(eventsOf(events, "tasks_blocked")[0].data.task_ids).toEqual(["after", "last"]);
    const status = JSON.parse((await runCli(["status", "m", "--json", "--cwd", project])).stdout);
    expect(status.status).toBe("blocked");
    expect(status.blockers[0]).toMatchObject({ type: "task_failed", task: "bad" });

    // Exactness: the blocked run's snapshot restores to the same persisted snapshot.
    const dir = path.join(project, ".milestones/sessions");
    const envelope = JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((n) => n.endsWith(".json"))!), "utf8"));
    expect(envelope.snapshot.value).toBe("blocked");
    const restored = createActor(milestoneMachine, { snapshot: envelope.snapshot, input: undefined as never });
    restored.start();
    expect(restored.getPersistedSnapshot()).toEqual(envelope.snapshot);
    restored.stop();

    // Still failed: a resume refuses to run anything.
    const stillBlocked = await runCli(["resume", "m", "--cwd", project]);
    expect(stillBlocked.code).toBe(3);
    expect(stillBlocked.stderr).toContain("task 'bad' failed");
    expect(ran(project)).toBe("independent\n");

    fs.writeFileSync(path.join(project, "fixed"), "");
    expect((await runCli(["retry", "m", "bad", "--cwd", project])).code).toBe(0);
    const resumed = await runCli(["resume", "m", "--cwd", project]);
    expect(resumed.code).toBe(0);
    expect(ran(project)).toBe("independent\nbad\nafter\nlast\n");
    const done = parse(fs.readFileSync(path.join(project, ".milestones/completed/m.yaml"), "utf8"));
    expect(done.blockers).toEqual([]);
    expect(eventsOf(readEvents(project, "m"), "blocker_cleared")).toHaveLength(1);
  });

  it("runs notify.command with the blockers as JSON on stdin when the milestone blocks", async () => {
    const project = makeProject({
      ".milestones/active/m.yaml": MILESTONE,
      ".milestones/config.yaml": 'notify:\n  command: ["sh", "-c", "cat > notice.json"]\n',
    });
    expect((await runCli(["execute", "m", "--cwd", project, "--retry-backoff", "10"])).code).toBe(3);
    const notice = JSON.parse(fs.readFileSync(path.join(project, "notice.json"), "utf8"));
    expect(notice).toMatchObject({ milestone: "m", status: "blocked", resume: "milestone-machine resume m" });
    expect(notice.blockers).toHaveLength(1);
    expect(notice.blockers[0]).toMatchObject({ type: "task_failed", task: "bad" });
  });

  it("--fail-fast stops independent running tasks as soon as a task fails for good", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": MILESTONE.replace("sleep 0.3; echo independent", "sleep 20; echo independent") });
    const started = Date.now();
    const r = await runCli(["execute", "m", "--cwd", project, "--retry-backoff", "10", "--fail-fast", "--grace", "0"]);
    expect(r.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(fs.existsSync(path.join(project, "ran.txt"))).toBe(false);
    const interrupted = eventsOf(readEvents(project, "m"), "tasks_interrupted");
    expect(interrupted.flatMap((e) => (e.data.tasks as Array<{ task_id: string }>).map((t) => t.task_id))).toEqual(["independent"]);
    expect(file(project).tasks.find((t: { id: string }) => t.id === "independent").status).toBe("pending");
  });
});
