import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject } from "../helpers/cli.ts";
import { loadMilestone } from "../../src/milestone/load-milestone.ts";
import { buildPlan, parseAgentCommand } from "../../src/milestone/plan.ts";
import { InputError } from "../../src/errors.ts";

function load(content: string) {
  const project = makeProject({ ".milestones/active/m.yaml": content });
  return { project, loaded: loadMilestone(path.join(project, ".milestones/active/m.yaml"), { expectedId: "m" }) };
}

const FILE = `id: m
title: M
dependencies: { requires: [base] }
defaults: { timeout: 30m, retries: 1, cwd: sub, env: { A: 1, B: x } }
tasks:
  - id: sh
    title: Shell
    run: make
    timeout: 250ms
    env: { B: true }
    depends_on: [ag]
    dependencies: [ag, old]
  - id: ag
    title: Agent
    agent: Do the thing
    retries: 0
    cwd: /abs
  - id: old
    title: Old style
    description: From the bash workflow
    acceptance_criteria: [It works, It is fast]
    status: completed
`;

describe("buildPlan", () => {
  it("fills every task from the task, the milestone defaults and the config, in that order", () => {
    const { project, loaded } = load(FILE);
    const plan = buildPlan(loaded, { timeout: 5, retries: 3, agent: { command: ["agent", "-p"] } }, project, {});
    expect(plan).toMatchObject({ milestoneId: "m", title: "M", requires: ["base"], file: loaded.file });
    const [sh, ag, old] = plan.tasks;
    expect(sh).toMatchObject({
      index: 0,
      deps: ["ag", "old"],
      command: { kind: "shell", script: "make" },
      cwd: path.join(project, "sub"),
      env: { A: "1", B: "true" },
      timeoutMs: 250,
      retries: 1,
      status: "pending",
    });
    expect(ag).toMatchObject({ command: { kind: "agent", argv: ["agent", "-p", "Do the thing"] }, cwd: "/abs", retries: 0, timeoutMs: 1_800_000 });
    expect(old.command).toEqual({
      kind: "agent",
      argv: ["agent", "-p", "Task: Old style\n\nFrom the bash workflow\n\nAcceptance criteria:\n- It works\n- It is fast"],
    });
    expect(old.status).toBe("completed");
  });

  it("falls back to the config, then to no timeout and no retries", () => {
    const { project, loaded } = load("id: m\ntasks:\n  - { id: a, title: A, run: x }\n");
    expect(buildPlan(loaded, { timeout: "90s", retries: 2 }, project).tasks[0]).toMatchObject({ timeoutMs: 90_000, retries: 2, cwd: project });
    expect(buildPlan(loaded, {}, project).tasks[0]).toMatchObject({ timeoutMs: null, retries: 0, env: {}, verify: null });
  });

  it("prefers --agent over the config's agent command", () => {
    const { project, loaded } = load("id: m\ntasks:\n  - { id: a, title: A, agent: go }\n");
    const plan = buildPlan(loaded, { agent: { command: ["config"] } }, project, { agentCommand: ["flag"] });
    expect(plan.tasks[0].command).toEqual({ kind: "agent", argv: ["flag", "go"] });
  });

  it("reports every task that needs an agent when none is configured", () => {
    const { project, loaded } = load("id: m\ntasks:\n  - { id: a, title: A, agent: go }\n  - id: b\n    title: B\n");
    try {
      buildPlan(loaded, {}, project);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).problems.map((p) => [p.line, p.col])).toEqual([[3, 31], [4, 5]]);
    }
    expect(fs.readFileSync(loaded.file, "utf8")).toBe(loaded.text);
  });
});

describe("parseAgentCommand", () => {
  it("splits like a shell, keeping quoted words together", () => {
    expect(parseAgentCommand(`claude -p --model 'big one' --say "a \\"b\\"" c\\ d`)).toEqual(["claude", "-p", "--model", "big one", "--say", 'a "b"', "c d"]);
  });

  it("keeps an empty quoted argument", () => {
    expect(parseAgentCommand(`sh -c '' x`)).toEqual(["sh", "-c", "", "x"]);
  });

  it("refuses an unterminated quote and an empty command", () => {
    expect(() => parseAgentCommand(`claude 'oops`)).toThrow(/unterminated/);
    expect(() => parseAgentCommand("   ")).toThrow(/needs a command/);
  });
});
