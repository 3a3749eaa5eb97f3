// Issue 19, item 11 (part): a .milestones/ layout that is not what it must be is a located error,
// exit 2, with nothing changed and no lock left, never an "internal error" with a stack.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runCli } from "../helpers/cli.ts";

const MILESTONE = "id: m\ntasks:\n  - { id: t, title: T, run: 'true' }\n";

describe("a broken .milestones layout", () => {
  it("sessions/ as a file: 'path: what is wrong', exit 2, the milestone file untouched", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": MILESTONE, ".milestones/sessions": "" });
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(project, ".milestones/sessions")}: is a file, where milestone-machine needs a folder`);
    expect(r.stderr).not.toContain("internal error");
    expect(r.stderr).not.toContain("    at ");
    expect(fs.readFileSync(path.join(project, ".milestones/active/m.yaml"), "utf8")).toBe(MILESTONE);
  });

  it("the event log's name taken by a folder: 'path: what is wrong', exit 2, no lock left", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": MILESTONE });
    fs.mkdirSync(path.join(project, ".milestones/logs/execution-m.jsonl"), { recursive: true });
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(project, ".milestones/logs/execution-m.jsonl")}: is a folder, where milestone-machine needs a file`);
    expect(r.stderr).not.toContain("    at ");
    expect(fs.existsSync(path.join(project, ".milestones/sessions/m.lock"))).toBe(false);
    expect(fs.readFileSync(path.join(project, ".milestones/active/m.yaml"), "utf8")).toBe(MILESTONE);
  });
});

describe("a milestone file deleted during the run", () => {
  it("is written again from the run's state, and the log and the screen say so", async () => {
    const project = makeProject({
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: gone, title: Deletes the file, run: rm \"$MM_PROJECT/.milestones/active/m.yaml\"; sleep 0.3 }\n  - { id: after, title: After, dependencies: [gone], run: 'true' }\n",
    });
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(".milestones/active/m.yaml was deleted during the run: written again from the run's state");
    const events = (await import("../helpers/cli.ts")).readEvents(project, "m");
    expect(events.filter((e) => e.event === "milestone_file_recreated")).toHaveLength(1);
    expect(fs.readFileSync(path.join(project, ".milestones/completed/m.yaml"), "utf8")).toContain("id: after");
  });
});
