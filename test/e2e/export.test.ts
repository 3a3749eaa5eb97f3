// `export`: the lifecycle chart with the milestone's current state, and the task graph coloured
// by status, in every format, through the built CLI.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyExamples, runCli } from "../helpers/cli.ts";

const LIFECYCLE_STATES = ["planned", "validating", "in_progress", "paused", "blocked", "completing", "completed", "failed", "cancelled"];

const exportOf = async (project: string, ...args: string[]) => {
  const r = await runCli(["export", "docs-site", "--cwd", project, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};

describe("export", () => {
  it("shows the lifecycle in Mermaid with the current state highlighted, before and after a run", async () => {
    const project = copyExamples();
    const before = await exportOf(project);
    expect(before.startsWith("stateDiagram-v2\n")).toBe(true);
    expect(before).toContain("[*] --> planned");
    expect(before).toContain("completed --> [*]");
    for (const state of LIFECYCLE_STATES) expect(before).toMatch(new RegExp(`\\b${state}\\b`));
    expect(before).toMatch(/^ {2}classDef current /m);
    expect(before).toMatch(/^ {2}class planned current$/m);

    expect((await runCli(["execute", "docs-site", "--cwd", project])).code).toBe(0);
    const after = await exportOf(project, "--format", "mermaid");
    expect(after).toMatch(/^ {2}class completed current$/m);
    expect(after).not.toMatch(/class planned current/);

    const tasks = await exportOf(project, "--graph", "tasks");
    expect(tasks.startsWith("flowchart LR\n")).toBe(true);
    expect(tasks).toContain('api_pages["api-pages<br/>completed"]');
    expect(tasks).toContain("clean --> api_pages");
    expect(tasks).toMatch(/^ {2}class clean,api_pages,guide_pages,flaky_fetch,index completed$/m);
    const graph = JSON.parse(await exportOf(project, "--graph", "tasks", "--json"));
    expect(graph.nodes.map((n: { status: string }) => n.status)).toEqual(Array(5).fill("completed"));
    expect(graph.edges).toContainEqual({ from: "flaky-fetch", to: "index" });
  });

  it("speaks DOT, JSON and SVG", async () => {
    const project = copyExamples();
    const dot = await exportOf(project, "--format", "dot");
    expect(dot).toMatch(/^digraph "milestone" \{\n/);
    expect(dot).toMatch(/"planned" \[[^\]]*fillcolor=/);
    expect(dot.trimEnd().endsWith("}")).toBe(true);
    expect(await exportOf(project, "--graph", "tasks", "--format", "dot")).toMatch(/^digraph "docs-site" \{/);

    const json = JSON.parse(await exportOf(project, "--json"));
    expect(json).toMatchObject({ graph: "lifecycle", milestone: "docs-site", initial: "planned", current: "planned" });
    expect(json.states.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(LIFECYCLE_STATES));
    expect(json.transitions).toContainEqual({ from: "planned", to: "validating", event: "START", guard: null });
    expect(JSON.parse(await exportOf(project, "--format", "json"))).toEqual(json);

    const file = path.join(project, "lifecycle.svg");
    expect(await exportOf(project, "--format", "svg", "--output", file)).toBe("");
    const svg = fs.readFileSync(file, "utf8");
    expect(svg).toMatch(/^(<\?xml|<svg)/);
    expect(svg).toContain("</svg>");
    for (const state of LIFECYCLE_STATES) expect(svg).toContain(`>${state}</text>`);
  });

  it("refuses an unknown id, format or graph with exit 2 and the allowed values", async () => {
    const project = copyExamples();
    const help = await runCli(["export", "--help"]);
    expect(help.stdout).toContain("Usage: milestone-machine export <id> [--format mermaid|dot|json|svg]");
    expect((await runCli(["--help"])).stdout).toContain("  export ");
    const unknown = await runCli(["export", "nope", "--cwd", project]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("docs-site");
    const format = await runCli(["export", "docs-site", "--format", "png", "--cwd", project]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("mermaid, dot, json, svg");
    const graph = await runCli(["export", "docs-site", "--graph", "gantt", "--cwd", project]);
    expect(graph.code).toBe(2);
    expect(graph.stderr).toContain("lifecycle, tasks");
  });
});
