// Editing the milestone file while it runs: a valid edit is applied (new tasks run, comments
// kept), an invalid one is reported with its location while the run goes on with the plan it
// has, and is never overwritten; after the fix, resume runs what the edit added.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeProject, readEvents, runCli } from "../helpers/cli.ts";
import { eventsOf } from "../helpers/event-checks.ts";

const FILE = ".milestones/active/m.yaml";
const ORIGINAL = [
  "id: m",
  "title: Edited while running",
  "tasks:",
  "  - id: first",
  "    title: Waits for the edit",
  "    run: while [ ! -f edited ]; do sleep 0.05; done",
  "  - id: second",
  "    title: After first",
  "    run: touch second.txt",
  "    dependencies: [first]",
  "",
].join("\n");

const ADDED_TASK = ["  - id: added", "    title: Added mid-run", "    run: touch added.txt", "    dependencies: [first]", ""].join("\n");

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const started = (project: string, task: string) => () => {
  try {
    return eventsOf(readEvents(project, "m"), "task_started", task).length > 0;
  } catch {
    return false;
  }
};

describe("plan edits during a run", () => {
  it("a task added to the file mid-run is scheduled and run; the edit's comment survives", async () => {
    const project = makeProject({ [FILE]: ORIGINAL });
    const run = runCli(["execute", "m", "--cwd", project]);
    await waitFor(started(project, "first"), "first to start");
    const current = fs.readFileSync(path.join(project, FILE), "utf8");
    fs.writeFileSync(path.join(project, FILE), `# edited by hand while it ran\n${current.trimEnd()}\n${ADDED_TASK}`);
    await waitFor(() => eventsOf(readEvents(project, "m"), "plan_updated").length > 0, "plan_updated");
    fs.writeFileSync(path.join(project, "edited"), "");
    const r = await run;
    expect(r.code, r.stderr).toBe(0);

    expect(fs.existsSync(path.join(project, "added.txt"))).toBe(true);
    const events = readEvents(project, "m");
    expect(eventsOf(events, "plan_updated")[0].data).toMatchObject({ added: ["added"], changed: [], removed: [] });
    expect(eventsOf(events, "task_completed", "added")).toHaveLength(1);
    const text = fs.readFileSync(path.join(project, ".milestones/completed/m.yaml"), "utf8");
    expect(text.startsWith("# edited by hand while it ran\n")).toBe(true);
    const done = parse(text);
    expect(done.tasks.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
      ["first", "completed"],
      ["second", "completed"],
      ["added", "completed"],
    ]);
    expect(done.progress).toMatchObject({ total_tasks: 3, tasks_completed: 3, percentage: 100 });
  });

  // The schema module (zod) is loaded only once an edit fails the quick check: the edit is held,
  // then judged with the schema's own message and location.
  it("an edit that breaks the schema is a plan_invalid blocker with the schema's message and location", async () => {
    const project = makeProject({ [FILE]: ORIGINAL });
    const run = runCli(["execute", "m", "--cwd", project]);
    await waitFor(started(project, "first"), "first to start");
    const broken = ORIGINAL.replace("    run: touch second.txt\n", "    run: touch second.txt\n    retries: -1\n");
    fs.writeFileSync(path.join(project, FILE), broken);
    await waitFor(() => eventsOf(readEvents(project, "m"), "blocker_detected").length > 0, "the plan_invalid blocker");
    fs.writeFileSync(path.join(project, "edited"), "");
    const r = await run;
    expect(r.code).toBe(3);
    expect(fs.readFileSync(path.join(project, FILE), "utf8")).toBe(broken);
    const blocker = eventsOf(readEvents(project, "m"), "blocker_detected")[0];
    expect(blocker.data.type).toBe("plan_invalid");
    expect(String(blocker.data.detail)).toMatch(/m\.yaml:10:14: tasks\[1\]\.retries: must be a whole number ≥ 0/);
  });

  it("an invalid edit is a plan_invalid blocker with its line:col; the run goes on, the file is left as written; fixed, resume runs the edit", async () => {
    const project = makeProject({ [FILE]: ORIGINAL });
    const run = runCli(["execute", "m", "--cwd", project]);
    await waitFor(started(project, "first"), "first to start");
    const broken = `${ORIGINAL}${["  - id: added", "    title: Depends on a task that does not exist", "    run: touch added.txt", "    dependencies: [nope]", ""].join("\n")}`;
    fs.writeFileSync(path.join(project, FILE), broken);
    await waitFor(() => eventsOf(readEvents(project, "m"), "blocker_detected").length > 0, "the plan_invalid blocker");
    fs.writeFileSync(path.join(project, "edited"), "");
    const r = await run;
    expect(r.code).toBe(3);

    // The previous plan ran to its end; the broken text is still the person's to fix.
    expect(fs.existsSync(path.join(project, "second.txt"))).toBe(true);
    expect(fs.existsSync(path.join(project, "added.txt"))).toBe(false);
    expect(fs.readFileSync(path.join(project, FILE), "utf8")).toBe(broken);
    const blocker = eventsOf(readEvents(project, "m"), "blocker_detected")[0];
    expect(blocker.data.type).toBe("plan_invalid");
    expect(String(blocker.data.detail)).toMatch(/m\.yaml:14:20: task .added. depends on unknown task .nope./);
    expect(r.stderr).toContain("plan_invalid");

    fs.writeFileSync(path.join(project, FILE), `${ORIGINAL}${ADDED_TASK}`);
    const resumed = await runCli(["resume", "m", "--cwd", project]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(fs.existsSync(path.join(project, "added.txt"))).toBe(true);
    const events = readEvents(project, "m");
    expect(eventsOf(events, "task_started", "first")).toHaveLength(1);
    expect(eventsOf(events, "task_started", "second")).toHaveLength(1);
    expect(eventsOf(events, "blocker_cleared").map((e) => e.data.type)).toContain("plan_invalid");
  });
});
