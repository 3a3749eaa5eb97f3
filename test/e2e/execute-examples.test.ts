// The bundled sample milestones (examples/) run to completion through the built CLI, in a copy of the folder.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyExamples, makeProject, readEvents, runCli } from "../helpers/cli.ts";
import { eventsOf, maxOverlap, startsAfterDependencies } from "../helpers/event-checks.ts";

describe("the bundled examples", () => {
  it("docs-site runs to completion in dependency order, never more than 2 tasks at once", async () => {
    const project = copyExamples();
    const original = fs.readFileSync(path.join(project, ".milestones/active/docs-site.yaml"), "utf8");
    const r = await runCli(["execute", "docs-site", "--cwd", project]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("docs-site completed");

    expect(fs.existsSync(path.join(project, ".milestones/active/docs-site.yaml"))).toBe(false);
    const done = fs.readFileSync(path.join(project, ".milestones/completed/docs-site.yaml"), "utf8");
    expect(done).toContain("# The documentation site: a small graph of shell steps.");
    expect(done).toMatch(/^status: completed$/m);
    expect(done.match(/status: completed/g)).toHaveLength(6);
    expect(done).toContain("percentage: 100");
    // Every line of the original other than the fields the engine owns is still there, in order.
    const kept = original.split("\n").filter((l) => l && !/^\s*status:/.test(l));
    let at = 0;
    for (const line of kept) {
      at = done.indexOf(line, at);
      expect(at, `line kept in order: ${line}`).toBeGreaterThanOrEqual(0);
    }

    expect(fs.readFileSync(path.join(project, "site/index.txt"), "utf8")).toMatch(/^api\.html\nguide\.html\n/);
    const events = readEvents(project, "docs-site");
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(startsAfterDependencies(events, {
      "api-pages": ["clean"],
      "guide-pages": ["clean"],
      index: ["api-pages", "guide-pages", "flaky-fetch"],
    })).toEqual([]);
    expect(maxOverlap(events)).toBeLessThanOrEqual(2);
    expect(maxOverlap(events)).toBe(2);
    expect(eventsOf(events, "task_retrying", "flaky-fetch")).toHaveLength(1);
    expect(eventsOf(events, "task_completed")).toHaveLength(5);
    const completed = eventsOf(events, "milestone_completed");
    expect(completed).toHaveLength(1);
    expect(completed[0].data.enables).toEqual([]);
    // Each attempt has its own log file.
    expect(fs.existsSync(path.join(project, ".milestones/logs/docs-site/flaky-fetch.1.log"))).toBe(true);
    expect(fs.existsSync(path.join(project, ".milestones/logs/docs-site/flaky-fetch.2.log"))).toBe(true);

    const again = await runCli(["execute", "docs-site", "--cwd", project]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already completed");
  });

  it("release-0-2 (the old workflow's format) hands each task's prompt to the agent command", async () => {
    const project = copyExamples();
    const file = path.join(project, ".milestones/active/release-0-2.yaml");
    const original = fs.readFileSync(file, "utf8");
    const r = await runCli(["execute", "release-0-2", "--cwd", project]);
    expect(r.code).toBe(0);
    const work = fs.readFileSync(path.join(project, "agent-work.txt"), "utf8").split("agent got: ").slice(1);
    expect(work).toHaveLength(3);
    expect(work[0]).toContain("Create user model");
    expect(work[1]).toContain("POST /login returns an access and a refresh token");
    expect(work[1]).toContain("Wrong password gives 401");
    expect(work[2]).toContain("Refresh-token rotation");

    const done = fs.readFileSync(path.join(project, ".milestones/completed/release-0-2.yaml"), "utf8");
    // Unknown fields and the double-quoted style survive; only engine-owned fields changed.
    for (const line of original.split("\n").filter((l) => l && !/status:/.test(l))) expect(done).toContain(line);
    expect(done).toContain('status: "completed"');
    const events = readEvents(project, "release-0-2");
    expect(startsAfterDependencies(events, { "task-002": ["task-001"], "task-003": ["task-002"] })).toEqual([]);
  });

  it("a milestone whose requirement is not completed is refused with exit 2 and no file changes", async () => {
    const project = copyExamples();
    fs.rmSync(path.join(project, ".milestones/completed/release-0-1.yaml"));
    const before = fs.readFileSync(path.join(project, ".milestones/active/docs-site.yaml"), "utf8");
    const r = await runCli(["execute", "docs-site", "--cwd", project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("requires milestones that are not completed: release-0-1");
    expect(fs.readFileSync(path.join(project, ".milestones/active/docs-site.yaml"), "utf8")).toBe(before);
    expect(fs.existsSync(path.join(project, ".milestones/logs"))).toBe(false);
    expect(fs.existsSync(path.join(project, ".milestones/sessions"))).toBe(false);
  });

  it("completing a milestone names the milestones it made startable", async () => {
    const project = makeProject({
      ".milestones/active/a.yaml": "id: a\ntitle: A\ntasks:\n  - id: t\n    title: T\n    run: \"true\"\n",
      ".milestones/active/b.yaml": "id: b\ntitle: B\ndependencies:\n  requires: [a]\ntasks: []\n",
      ".milestones/active/c.yaml": "id: c\ntitle: C\ndependencies:\n  requires: [a, other]\ntasks: []\n",
    });
    const r = await runCli(["execute", "a", "--cwd", project]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("now startable: b");
    expect(eventsOf(readEvents(project, "a"), "milestone_completed")[0].data.enables).toEqual(["b"]);
  });
});
