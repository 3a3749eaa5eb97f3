// The CLI's contract as a script sees it: help, version, exit codes, JSON of list/status/log.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyExamples, REPO, runCli } from "../helpers/cli.ts";

const COMMANDS = ["init", "new", "validate", "list", "status", "execute", "resume", "pause", "retry", "skip", "log", "export", "schema"];

describe("the command line", () => {
  it("--version prints package.json's version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version);
  });

  it("--help lists every command, and each command has its own --help", async () => {
    const top = await runCli(["--help"]);
    expect(top.code).toBe(0);
    for (const name of COMMANDS) expect(top.stdout).toContain(`  ${name} `);
    for (const name of COMMANDS) {
      const r = await runCli([name, "--help"]);
      expect(r.code, name).toBe(0);
      expect(r.stdout).toContain(`Usage: milestone-machine ${name}`);
      expect(r.stdout).toContain("--json");
    }
  });

  it("unknown commands, unknown flags and missing ids exit 2 with a hint, no stack trace", async () => {
    for (const args of [["frobnicate"], ["status", "--bogus", "x"], ["execute"], ["status", "nope", "--cwd", copyExamples()]]) {
      const r = await runCli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/hint: /);
      expect(r.stderr).not.toContain("    at ");
    }
    const bad = await runCli(["execute", "docs-site", "--concurrency", "0", "--cwd", copyExamples()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--concurrency takes a whole number of at least 1");
  });

  it("list, status and log speak JSON for scripts", async () => {
    const project = copyExamples();
    const list = JSON.parse((await runCli(["list", "--json", "--cwd", project])).stdout);
    expect(list.milestones.map((m: { id: string }) => m.id)).toEqual(["docs-site", "release-0-2", "release-0-1"]);
    expect(list.milestones[0]).toMatchObject({ status: "planned", requires: ["release-0-1"], waiting_for: [] });

    expect((await runCli(["execute", "docs-site", "--cwd", project])).code).toBe(0);
    const status = JSON.parse((await runCli(["status", "docs-site", "--json", "--cwd", project])).stdout);
    expect(status).toMatchObject({
      id: "docs-site",
      title: "Documentation site",
      status: "completed",
      progress: { percentage: 100, tasks_completed: 5, total_tasks: 5 },
      blockers: [],
    });
    expect(typeof status.session_id).toBe("string");
    const flaky = status.tasks.find((t: { id: string }) => t.id === "flaky-fetch");
    expect(flaky).toMatchObject({ status: "completed", attempts: 2, commit: null });
    expect(Date.parse(flaky.started_at)).toBeLessThanOrEqual(Date.parse(flaky.completed_at));

    const log = await runCli(["log", "docs-site", "--json", "--task", "flaky-fetch", "--cwd", project]);
    const lines = log.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((e) => e.event)).toEqual(["task_started", "task_spawned", "task_retrying", "task_started", "task_spawned", "task_completed"]);
    for (const e of lines) expect(e).toMatchObject({ v: 1, milestone_id: "docs-site", session_id: status.session_id });

    const human = await runCli(["log", "docs-site", "--cwd", project]);
    expect(human.stdout).toContain("flaky-fetch completed");
    const future = await runCli(["log", "docs-site", "--since", "2999-01-01T00:00:00Z", "--cwd", project]);
    expect(future.stdout).toBe("");
  });
});
