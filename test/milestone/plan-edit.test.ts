// Editing a running milestone's file: the new text validated as `execute` would, and what of
// the edit takes effect given the tasks' live statuses. Real YAML in real files.
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeProject } from "../helpers/cli.ts";
import { loadMilestone } from "../../src/milestone/load-milestone.ts";
import { buildPlan } from "../../src/milestone/plan.ts";
import { diffPlan, loadEditedPlan, type EditedPlan } from "../../src/milestone/plan-edit.ts";
import type { Plan } from "../../src/milestone/plan-types.ts";
import type { TaskStatus } from "../../src/milestone/schema.ts";
import { displayPath } from "../../src/store/display-path.ts";
import { InputError } from "../../src/errors.ts";

const ORIGINAL = `id: m
title: M
tasks:
  - id: a
    title: A
    run: echo a
  - id: b
    title: B
    run: echo b
    dependencies: [a]
  - id: c
    title: C
    run: echo c
    dependencies: [b]
`;

let project: string;
let file: string;
beforeEach(() => {
  project = makeProject({ ".milestones/active/m.yaml": ORIGINAL });
  file = path.join(project, ".milestones/active/m.yaml");
});
afterEach(() => {
  fs.rmSync(project, { recursive: true, force: true });
});

function currentPlan(): Plan {
  return buildPlan(loadMilestone(file, { expectedId: "m" }), {}, project);
}

// Writes the edit to the file, as a person would, and loads it back through loadEditedPlan.
function edit(text: string): Plan {
  fs.writeFileSync(file, text);
  const result = loadEditedPlan(file, fs.readFileSync(file, "utf8"), {}, project);
  if (result.ok !== true) throw new Error(`edit not taken: ${JSON.stringify(result)}`);
  return result.plan;
}

const statuses = (entries: Record<string, TaskStatus>) => new Map(Object.entries(entries));

describe("diffPlan", () => {
  it("reports a task added to the file", () => {
    const current = currentPlan();
    const next = edit(`${ORIGINAL}  - id: d\n    title: D\n    run: echo d\n    dependencies: [a]\n`);
    const diff = diffPlan(current, next, statuses({ a: "completed", b: "in_progress", c: "pending" }));
    expect(diff.added.map((t) => [t.id, t.deps, t.index])).toEqual([["d", ["a"], 3]]);
    expect(diff).toMatchObject({ changed: [], ignored: [], removed: [], problems: [] });
    expect(diff.plan.tasks.map((t) => t.id)).toEqual(["a", "b", "c", "d"]);
  });

  it("applies a change to a task that has not started", () => {
    const current = currentPlan();
    const next = edit(ORIGINAL.replace("run: echo c", "run: echo C\n    timeout: 5m\n    retries: 2"));
    const diff = diffPlan(current, next, statuses({ a: "completed", b: "in_progress", c: "pending" }));
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]).toMatchObject({ id: "c", command: { kind: "shell", script: "echo C" }, timeoutMs: 300_000, retries: 2 });
    expect(diff.plan.tasks[2]).toBe(diff.changed[0]);
    expect(diff).toMatchObject({ added: [], ignored: [], removed: [], problems: [] });
  });

  it("counts a new paths list as a change of what the task commits", () => {
    const current = currentPlan();
    const diff = diffPlan(current, edit(ORIGINAL.replace("run: echo c", "run: echo c\n    paths: [docs/**]")), statuses({}));
    expect(diff.changed.map((t) => [t.id, t.paths])).toEqual([["c", ["docs/**"]]]);
  });

  it("ignores an edit to a completed task and a running one, keeping their current definitions", () => {
    const current = currentPlan();
    const next = edit(ORIGINAL.replace("run: echo a", "run: echo rewritten").replace("run: echo b", "run: echo b2"));
    const diff = diffPlan(current, next, statuses({ a: "completed", b: "in_progress", c: "pending" }));
    expect(diff.changed).toEqual([]);
    expect(diff.ignored).toEqual([
      { taskId: "a", reason: "task 'a' is completed: a completed task is never rewritten by an edit" },
      { taskId: "b", reason: "task 'b' is in_progress: a running task is not changed mid-run" },
    ]);
    expect(diff.plan.tasks.map((t) => t.command)).toEqual(current.tasks.map((t) => t.command));
    expect(diff.problems).toEqual([]);
  });

  it("reads a task's status from the plan when the live statuses do not know it", () => {
    const current = currentPlan();
    current.tasks[0].status = "completed";
    const diff = diffPlan(current, edit(ORIGINAL.replace("run: echo a", "run: echo x")), statuses({}));
    expect(diff.ignored.map((i) => i.taskId)).toEqual(["a"]);
  });

  it("does not count moving a task or reordering its dependencies as a change, but takes the new index", () => {
    const current = currentPlan();
    const moved = `id: m\ntitle: M\ntasks:\n  - id: c\n    title: C\n    run: echo c\n    depends_on: [b, b]\n  - id: a\n    title: A\n    run: echo a\n  - id: b\n    title: B\n    run: echo b\n    dependencies: [a]\n`;
    const diff = diffPlan(current, edit(moved), statuses({}));
    expect(diff).toMatchObject({ added: [], changed: [], ignored: [], removed: [], problems: [] });
    expect(diff.plan.tasks.map((t) => [t.id, t.index])).toEqual([["c", 0], ["a", 1], ["b", 2]]);
  });

  it("removes a pending task that left the file, and ignores the removal of one that ran", () => {
    const current = currentPlan();
    const withoutBC = `id: m\ntitle: M\ntasks:\n  - id: a\n    title: A\n    run: echo a\n`;
    const diff = diffPlan(current, edit(withoutBC), statuses({ a: "completed", b: "completed", c: "pending" }));
    expect(diff.removed).toEqual(["c"]);
    expect(diff.ignored).toEqual([{ taskId: "b", reason: "task 'b' was removed from the file but is already completed: removing it neither stops nor undoes it" }]);
    expect(diff.problems).toEqual([]);
  });

  it("rejects an edit that leaves a pending task depending on a removed task", () => {
    const current = currentPlan();
    // Built by hand: the loader would already refuse the unknown id in a file.
    const next: Plan = { ...current, tasks: current.tasks.filter((t) => t.id !== "b") };
    const diff = diffPlan(current, next, statuses({ a: "completed", b: "pending", c: "pending" }));
    expect(diff.removed).toEqual(["b"]);
    expect(diff.problems).toEqual(["task 'c' depends on 'b', which the edit removes"]);
  });

  it("rejects a cycle formed by a kept definition and an edited one", () => {
    // 'b' was skipped while waiting for 'c'; the edit makes 'c' wait for 'b' as well.
    const skippedFirst = ORIGINAL.replace("dependencies: [a]", "dependencies: [c]").replace("dependencies: [b]", "dependencies: []");
    fs.writeFileSync(file, skippedFirst);
    const current = currentPlan();
    const next = edit(ORIGINAL.replace("dependencies: [a]", "dependencies: []"));
    const diff = diffPlan(current, next, statuses({ a: "completed", b: "skipped", c: "pending" }));
    expect(diff.changed.map((t) => t.id)).toEqual(["c"]);
    expect(diff.ignored.map((t) => t.taskId)).toEqual(["b"]);
    expect(diff.problems).toEqual(["dependency cycle: b → c → b"]);
  });

  it("rejects a change of the milestone id", () => {
    const current = currentPlan();
    const diff = diffPlan(current, { ...current, milestoneId: "other" }, statuses({}));
    expect(diff.problems).toEqual(["the milestone id changed from 'm' to 'other'"]);
  });
});

describe("loadEditedPlan", () => {
  // A text the quick check refuses is judged once the schema module has loaded.
  const judged = async (text: string): Promise<EditedPlan> => {
    const first = loadEditedPlan(file, text, {}, project);
    if (first.ok !== "later") return first;
    await first.ready;
    return loadEditedPlan(file, text, {}, project);
  };
  const problemsOf = async (text: string) => {
    fs.writeFileSync(file, text);
    const result = await judged(text);
    expect(result.ok).toBe(false);
    return result.ok === false ? result.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`) : [];
  };

  it("builds the plan from the given text, not from what is on disk now", () => {
    const result = loadEditedPlan(file, ORIGINAL.replace("echo a", "echo given"), {}, project);
    expect(result.ok === true && result.plan.tasks[0].command).toEqual({ kind: "shell", script: "echo given" });
    expect(result.ok === true && result.loaded.text).toContain("echo given");
  });

  it("reports invalid YAML with its line and column", async () => {
    const broken = ORIGINAL.replace("    run: echo b\n", "    run: [echo b\n");
    const problems = await problemsOf(broken);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(new RegExp(`^${escape(displayPath(file))}:\\d+:\\d+: invalid YAML: `));
    expect(problems[0]).not.toMatch(/:1:1:/);
  });

  it("reports a schema problem and an unknown dependency at the offending node", async () => {
    const bad = ORIGINAL.replace("run: echo a", "run: echo a\n    retries: -1").replace("dependencies: [b]", "dependencies: [nope]");
    expect(await problemsOf(bad)).toEqual([
      `${displayPath(file)}:7:14: tasks[0].retries: must be a whole number ≥ 0`,
      `${displayPath(file)}:15:20: task 'c' depends on unknown task 'nope'`,
    ]);
  });

  it("reports a dependency cycle in the file", async () => {
    const cyclic = ORIGINAL.replace("dependencies: [a]", "dependencies: [a, c]");
    expect(await problemsOf(cyclic)).toEqual([`${displayPath(file)}:10:23: dependency cycle: b → c → b`]);
  });

  it("refuses an id that no longer matches the file name", async () => {
    expect(await problemsOf(ORIGINAL.replace("id: m\n", "id: renamed\n"))).toEqual([`${displayPath(file)}:1:5: id 'renamed' does not match the file name 'm.yaml'`]);
  });

  it("reports exactly what execute's loader reports for the same file", async () => {
    const bad = [
      ORIGINAL.replace("    run: echo b\n", "    run: [echo b\n"),
      ORIGINAL.replace("id: b", "id: a"),
      ORIGINAL.replace("run: echo c", "run: echo c\n    agent: also"),
      ORIGINAL.replace("title: C", "title: ''").replace("dependencies: [b]", "dependencies: [c]"),
      ORIGINAL.replace("tasks:", "tasks:\n  - 3"),
      ORIGINAL.replace("id: m\n", "id: ../m\n"),
      `${ORIGINAL}  - id: d\n    title: D\n`,
    ];
    for (const text of bad) {
      fs.writeFileSync(file, text);
      let expected: unknown = "no error";
      try {
        buildPlan(loadMilestone(file, { expectedId: "m" }), {}, project);
      } catch (error) {
        expected = error instanceof InputError ? error.problems : error;
      }
      expect(await judged(text)).toEqual({ ok: false, problems: expected });
    }
  });

  it("reports an empty file and an agent task with no agent configured, without throwing", async () => {
    expect(await problemsOf("# nothing yet\n")).toEqual([`${displayPath(file)}:1:1: the file is empty: a milestone needs at least id and tasks`]);
    const agentTask = `${ORIGINAL}  - id: d\n    title: D\n    agent: do it\n`;
    expect((await problemsOf(agentTask))[0]).toMatch(/^.*:17:12: task 'd' has an agent prompt but no agent command is configured/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
