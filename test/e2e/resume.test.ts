// Durable sessions: pause and kill -9 lose nothing; resume continues exactly where it stopped.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { alive, CLI, makeProject, readEvents, runCli } from "../helpers/cli.ts";
import { eventsOf } from "../helpers/event-checks.ts";
import { milestoneMachine, MILESTONE_MACHINE_VERSION } from "../../machines/milestone.ts";

// Three tasks in a chain; the middle one is slow and leaves a grandchild `sleep` behind.
const CHAIN = [
  "id: chain",
  "title: A chain with a slow middle",
  "tasks:",
  "  - id: first",
  "    title: First",
  "    run: echo first >> ledger.txt",
  "  - id: slow",
  "    title: Slow",
  "    run: echo slow >> ledger.txt; sleep 30 & echo $! > grandchild.pid; sleep ${SLOW:-3}; echo slow-done >> ledger.txt",
  "    dependencies: [first]",
  "  - id: last",
  "    title: Last",
  "    run: echo last >> ledger.txt",
  "    dependencies: [slow]",
  "",
].join("\n");

function start(project: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, "execute", "chain", "--cwd", project, ...args], {
    stdio: "ignore",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { child, exit: new Promise((resolve) => child.on("close", (code) => resolve(code))) };
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ledger = (project: string) => fs.readFileSync(path.join(project, "ledger.txt"), "utf8").trim().split("\n");
const snapshotOf = (project: string) => {
  const dir = path.join(project, ".milestones/sessions");
  const newest = fs.readdirSync(dir).filter((n) => n.endsWith(".json")).sort().at(-1)!;
  return JSON.parse(fs.readFileSync(path.join(dir, newest), "utf8"));
};

describe("pause and resume", () => {
  it("Ctrl-C pauses (exit 4), the saved snapshot restores exactly, resume finishes without re-running completed work", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const run = start(project, ["--grace", "0"], { SLOW: "30" });
    await waitFor(() => fs.existsSync(path.join(project, "grandchild.pid")));
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(4);
    const grandchild = Number(fs.readFileSync(path.join(project, "grandchild.pid"), "utf8"));
    expect(alive(grandchild)).toBe(false);

    const envelope = snapshotOf(project);
    expect(envelope).toMatchObject({ schema: 1, machine: "milestone", version: MILESTONE_MACHINE_VERSION, milestone_id: "chain", save_reason: "paused" });
    expect(envelope.snapshot.value).toBe("paused");
    const events = readEvents(project, "chain");
    expect(envelope.seq).toBe(events.at(-1)!.seq);
    // Exactness: the restored actor's persisted snapshot deep-equals the saved one.
    const restored = createActor(milestoneMachine, { snapshot: envelope.snapshot, input: undefined as never });
    restored.start();
    expect(restored.getPersistedSnapshot()).toEqual(envelope.snapshot);
    restored.stop();

    const record = fs.readFileSync(path.join(project, ".milestones/sessions", `${envelope.session_id}.yaml`), "utf8");
    expect(record).toContain("save_reason: paused");
    expect(record).toContain("- slow");
    const status = await runCli(["status", "chain", "--cwd", project]);
    expect(status.stdout).toContain("milestone-machine execute chain");

    fs.writeFileSync(path.join(project, ".milestones/active/chain.yaml"), fs.readFileSync(path.join(project, ".milestones/active/chain.yaml"), "utf8").replace("${SLOW:-3}", "0.1"));
    const resumed = await runCli(["resume", "chain", "--cwd", project]);
    expect(resumed.code).toBe(0);
    // The plan changed (the slow command), so this resume reconciles instead of restoring exactly.
    expect(ledger(project)).toEqual(["first", "slow", "slow", "slow-done", "last"]);
    const all = readEvents(project, "chain");
    expect(eventsOf(all, "task_started", "first")).toHaveLength(1);
    expect(eventsOf(all, "task_started", "slow").map((e) => e.data.attempt)).toEqual([1, 2]);
    expect(eventsOf(all, "session_resumed")).toHaveLength(1);
  });

  it("a resume of an unchanged paused milestone restores the snapshot exactly", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const run = start(project, ["--grace", "0"], { SLOW: "30" });
    await waitFor(() => fs.existsSync(path.join(project, "grandchild.pid")));
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(4);
    const resumed = await runCli(["resume", "chain", "--cwd", project], { env: { SLOW: "0.1" } });
    expect(resumed.code).toBe(0);
    const resumedEvents = eventsOf(readEvents(project, "chain"), "session_resumed");
    expect(resumedEvents).toHaveLength(1);
    expect(resumedEvents[0].data.exact).toBe(true);
    expect(ledger(project)).toEqual(["first", "slow", "slow", "slow-done", "last"]);
  });

  it("running tasks get the grace period to finish after Ctrl-C; a second Ctrl-C stops them at once", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const run = start(project, ["--grace", "30"], { SLOW: "1" });
    await waitFor(() => fs.existsSync(path.join(project, "grandchild.pid")));
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(4);
    // The slow task finished within its grace; the last one was not started.
    expect(ledger(project)).toEqual(["first", "slow", "slow-done"]);

    const second = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const again = start(second, ["--grace", "30"], { SLOW: "30" });
    await waitFor(() => fs.existsSync(path.join(second, "grandchild.pid")));
    const t0 = Date.now();
    again.child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 300));
    again.child.kill("SIGINT");
    expect(await again.exit).toBe(4);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(ledger(second)).toEqual(["first", "slow"]);
  });
});

describe("resume without a run", () => {
  it("a milestone that never ran has nothing to resume: exit 2, no file written", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const r = await runCli(["resume", "chain", "--cwd", project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("there is nothing to resume");
    expect(r.stderr).toContain("milestone-machine execute chain");
    expect(fs.readdirSync(path.join(project, ".milestones"))).toEqual(["active"]);
  });
});

describe("pause from another terminal", () => {
  it("`pause <id>` makes the executor pause like Ctrl-C; without an executor it says so", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const idle = await runCli(["pause", "chain", "--json", "--cwd", project]);
    expect(idle.code).toBe(0);
    expect(JSON.parse(idle.stdout)).toEqual({ id: "chain", paused: false, reason: "not running" });

    const run = start(project, ["--grace", "0"], { SLOW: "30" });
    await waitFor(() => fs.existsSync(path.join(project, "grandchild.pid")));
    const r = await runCli(["pause", "chain", "--json", "--cwd", project]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ id: "chain", paused: true, pid: run.child.pid });
    expect(await run.exit).toBe(4);
    expect(fs.readFileSync(path.join(project, ".milestones/active/chain.yaml"), "utf8")).toMatch(/^status: paused$/m);
  });
});

describe("kill -9", () => {
  it("a resume kills what the dead executor left running, re-runs the interrupted task once, and never re-runs completed ones", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const run = start(project, [], { SLOW: "30" });
    // The task can write its grandchild's pid before the engine has logged task_spawned.
    await waitFor(() => fs.existsSync(path.join(project, "grandchild.pid")) && eventsOf(readEvents(project, "chain"), "task_spawned", "slow").length > 0);
    const slowPid = eventsOf(readEvents(project, "chain"), "task_spawned", "slow")[0].data.pid as number;
    run.child.kill("SIGKILL");
    await run.exit;
    const grandchild = Number(fs.readFileSync(path.join(project, "grandchild.pid"), "utf8"));
    expect(alive(slowPid)).toBe(true);
    expect(alive(grandchild)).toBe(true);

    const resumed = await runCli(["resume", "chain", "--cwd", project], { env: { SLOW: "0.1" } });
    expect(resumed.code).toBe(0);
    expect(alive(slowPid)).toBe(false);
    expect(alive(grandchild)).toBe(false);
    expect(ledger(project)).toEqual(["first", "slow", "slow", "slow-done", "last"]);
    const events = readEvents(project, "chain");
    const resumedEvent = eventsOf(events, "session_resumed")[0];
    expect(resumedEvent.data.requeued).toEqual([{ task_id: "slow", attempt: 1 }]);
    expect((resumedEvent.data.killed_process_groups as number[]).length).toBeGreaterThanOrEqual(1);
    expect(eventsOf(events, "task_started", "first")).toHaveLength(1);
    expect(eventsOf(events, "task_started", "slow").map((e) => e.data.attempt)).toEqual([1, 2]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it("a lock left by a dead executor is taken over and the takeover is logged", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const dead = spawn("true");
    await new Promise((r) => dead.on("close", r));
    fs.mkdirSync(path.join(project, ".milestones/sessions"), { recursive: true });
    const stale = { pid: dead.pid, host: os.hostname(), session_id: "old", started_at: "2026-01-01T00:00:00Z", heartbeat: "2026-01-01T00:00:00Z" };
    fs.writeFileSync(path.join(project, ".milestones/sessions/chain.lock"), JSON.stringify(stale));
    const r = await runCli(["execute", "chain", "--cwd", project], { env: { SLOW: "0" } });
    expect(r.code).toBe(0);
    const takeover = eventsOf(readEvents(project, "chain"), "lock_taken_over");
    expect(takeover).toHaveLength(1);
    expect(takeover[0].data.previous_pid).toBe(dead.pid);
    expect(fs.existsSync(path.join(project, ".milestones/sessions/chain.lock"))).toBe(false);
  });

  it("a run killed between its last task_completed and the progress_updated after it resumes to a file whose progress counts every task", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const killed = await runCli(["execute", "chain", "--cwd", project], { env: { SLOW: "0", MM_CRASH_AT: "after-task-completed:3" } });
    expect(killed.signal).toBe("SIGKILL");
    expect(eventsOf(readEvents(project, "chain"), "task_completed")).toHaveLength(3);
    expect(eventsOf(readEvents(project, "chain"), "progress_updated").map((e) => e.data.tasks_completed)).toEqual([1, 2]);

    const r = await runCli(["resume", "chain", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    const file = fs.readFileSync(path.join(project, ".milestones/completed/chain.yaml"), "utf8");
    expect(file).toMatch(/\n  tasks_completed: 3\n/);
    expect(file).toMatch(/\n  percentage: 100\n/);
    expect(ledger(project)).toEqual(["first", "slow", "slow-done", "last"]);
  });

  it("resume of a milestone completed by a run killed in its last save clears that run's temp file and lock", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    expect((await runCli(["execute", "chain", "--cwd", project], { env: { SLOW: "0" } })).code).toBe(0);
    const dead = spawn("true");
    await new Promise((r) => dead.on("close", r));
    const sessions = path.join(project, ".milestones/sessions");
    const stale = { pid: dead.pid, host: os.hostname(), session_id: "old", started_at: "2026-01-01T00:00:00Z", heartbeat: "2026-01-01T00:00:00Z" };
    fs.writeFileSync(path.join(sessions, "chain.lock"), JSON.stringify(stale));
    fs.writeFileSync(path.join(sessions, `.old.json.${dead.pid}.tmp`), "{");
    const r = await runCli(["resume", "chain", "--cwd", project]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("already completed");
    expect(fs.readdirSync(sessions).filter((n) => n.endsWith(".tmp") || n.endsWith(".lock"))).toEqual([]);
    // A live owner's lock is not touched.
    const live = { ...stale, pid: process.pid };
    fs.writeFileSync(path.join(sessions, "chain.lock"), JSON.stringify(live));
    expect((await runCli(["resume", "chain", "--cwd", project])).code).toBe(0);
    expect(fs.existsSync(path.join(sessions, "chain.lock"))).toBe(true);
  });

  it("a snapshot from an incompatible machine version is refused with exit 2, never restored silently", async () => {
    const project = makeProject({ ".milestones/active/chain.yaml": CHAIN });
    const run = start(project, ["--grace", "0"], { SLOW: "30" });
    await waitFor(() => fs.existsSync(path.join(project, "grandchild.pid")));
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(4);
    const dir = path.join(project, ".milestones/sessions");
    const file = path.join(dir, fs.readdirSync(dir).find((n) => n.endsWith(".json"))!);
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, "utf8")), version: 99 }));
    const r = await runCli(["resume", "chain", "--cwd", project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("snapshot of machine version 99");
    expect(r.stderr).toContain("hint: ");
  });
});

describe("deadlines survive a crash", () => {
  it("a retry waiting out its backoff when the executor is killed waits only what is left after resume", async () => {
    const project = makeProject({
      ".milestones/active/flaky.yaml": [
        "id: flaky",
        "title: Fails once",
        "tasks:",
        "  - id: once",
        "    title: Fails the first time",
        "    run: test -f seen || { touch seen; exit 1; }",
        "    retries: 1",
        "",
      ].join("\n"),
    });
    const child = spawn(process.execPath, [CLI, "execute", "flaky", "--cwd", project, "--retry-backoff", "3000"], { stdio: "ignore" });
    const exited = new Promise((r) => child.on("close", r));
    await waitFor(() => fs.existsSync(path.join(project, ".milestones/logs/execution-flaky.jsonl")) && eventsOf(readEvents(project, "flaky"), "task_retrying").length === 1);
    const retryAt = Date.parse(eventsOf(readEvents(project, "flaky"), "task_retrying")[0].data.retry_at as string);
    await new Promise((r) => setTimeout(r, 800));
    child.kill("SIGKILL");
    await exited;
    const r = await runCli(["resume", "flaky", "--cwd", project]);
    expect(r.code).toBe(0);
    const second = eventsOf(readEvents(project, "flaky"), "task_started", "once").find((e) => e.data.attempt === 2)!;
    const startedAt = Date.parse((second as unknown as { ts: string }).ts);
    // Not at once on resume, and not a whole new backoff after it: at the stored deadline.
    expect(startedAt).toBeGreaterThanOrEqual(retryAt - 20);
    expect(startedAt).toBeLessThan(retryAt + 1500);
  });
});
