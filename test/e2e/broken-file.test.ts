// The commands that read a milestone file without running it (status, status --watch, list,
// export) report a broken file as `file:line:col: message` and exit 2, as validate does: no
// "internal error", no stack trace.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, makeProject, runCli } from "../helpers/cli.ts";

const GOOD = "id: m\ntitle: M\ntasks:\n  - id: a\n    title: A\n    run: \"true\"\n";
// Line 6 opens a flow sequence that never closes: the parser points at line 7, column 1.
const SYNTAX = "id: m\ntitle: M\ntasks:\n  - id: a\n    title: A\n    run: [unclosed\n";
// YAML that parses but breaks the schema: `timeout` is not a duration, at line 7, column 14.
const SCHEMA = "id: m\ntitle: M\ntasks:\n  - id: a\n    title: A\n    run: \"true\"\n    timeout: soon\n";

const BROKEN = [
  { kind: "a YAML syntax error", text: SYNTAX, located: /^\.milestones\/active\/m\.yaml:7:1: invalid YAML: /m },
  { kind: "a schema error", text: SCHEMA, located: /^\.milestones\/active\/m\.yaml:7:14: tasks\[0\]\.timeout: must be a duration/m },
];

function expectLocated(r: { code: number | null; stderr: string }, located: RegExp): void {
  expect(r.stderr).toMatch(located);
  expect(r.stderr).not.toContain("internal error");
  expect(r.stderr).not.toContain("    at ");
  expect(r.code).toBe(2);
}

describe.each(BROKEN)("a milestone file with $kind", ({ text, located }) => {
  const project = () => makeProject({ ".milestones/active/m.yaml": text });

  it("status reports it at file:line:col and exits 2, with --json too", async () => {
    const dir = project();
    expectLocated(await runCli(["status", "m"], { cwd: dir }), located);
    const json = await runCli(["status", "m", "--json"], { cwd: dir });
    expectLocated(json, located);
    expect(json.stdout).toBe("");
  });

  it("status --watch reports it before showing anything and exits 2", async () => {
    const r = await runCli(["status", "m", "--watch", "--exit"], { cwd: project(), timeoutMs: 10_000 });
    expectLocated(r, located);
    expect(r.stdout).toBe("");
  });

  it("list still lists the others, reports it at file:line:col and exits 2", async () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, ".milestones/active/ok.yaml"), GOOD.replace("id: m", "id: ok"));
    const r = await runCli(["list"], { cwd: dir });
    expectLocated(r, located);
    expect(r.stdout).toMatch(/^ok +planned +0\/1 +M$/m);
    expect(r.stdout).toMatch(/^m +unknown .*invalid/m);

    const json = await runCli(["list", "--json"], { cwd: dir });
    expect(json.code).toBe(2);
    const entries = JSON.parse(json.stdout).milestones;
    expect(entries.find((e: { id: string }) => e.id === "ok").error).toBeUndefined();
    expect(entries.find((e: { id: string }) => e.id === "m").error).toMatch(located);
  });

  it("export reports it at file:line:col and exits 2", async () => {
    expectLocated(await runCli(["export", "m"], { cwd: project() }), located);
  });
});

describe("a milestone file broken while status --watch shows it", () => {
  it("keeps watching and prints the file's problems at file:line:col", async () => {
    const dir = makeProject({ ".milestones/active/m.yaml": GOOD });
    const child = spawn(process.execPath, [CLI, "status", "m", "--watch"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      // The watch reads the file again when its size or mtime changes; the view refreshes each second.
      await new Promise((r) => setTimeout(r, 500));
      fs.writeFileSync(path.join(dir, ".milestones/active/m.yaml"), SCHEMA);
      const deadline = Date.now() + 8_000;
      while (!stdout.includes("m.yaml:7:14:") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toMatch(/\.milestones\/active\/m\.yaml:7:14: tasks\[0\]\.timeout: must be a duration/);
      expect(child.exitCode).toBe(null);
    } finally {
      child.kill("SIGINT");
    }
    expect(await closed).toBe(0);
    expect(stderr).toBe("");
  });
});
