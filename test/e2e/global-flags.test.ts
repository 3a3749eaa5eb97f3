// The common flags (--cwd, --json, --no-color, --help) work before the command as well as after it.
import { describe, expect, it } from "vitest";
import { makeProject, runCli } from "../helpers/cli.ts";

const MILESTONE = "id: m\ntitle: M\ntasks:\n  - id: a\n    title: A\n    run: \"true\"\n";

describe("flags before the command", () => {
  it("--cwd DIR and --cwd=DIR name the project, not the command", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": MILESTONE });
    for (const args of [["--cwd", project, "status", "m"], [`--cwd=${project}`, "status", "m"]]) {
      const r = await runCli(args, { cwd: makeProject() });
      expect(r.stderr, args.join(" ")).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("M (m): planned");
    }
  });

  it("--json and --no-color apply to the command that follows", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": MILESTONE });
    const status = await runCli(["--json", "--cwd", project, "status", "m"]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: "m", status: "planned", progress: { total_tasks: 1 } });

    const list = await runCli(["--no-color", "--json", "--cwd", project, "list"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).milestones).toEqual([expect.objectContaining({ id: "m", status: "planned" })]);
  });

  it("--help before a command shows that command's help", async () => {
    const r = await runCli(["--help", "status"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: milestone-machine status");
  });

  it("a command's own option before the command, or no command at all, is a usage error with a hint", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": MILESTONE });
    const early = await runCli(["--concurrency", "2", "execute", "m", "--cwd", project]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("unknown option '--concurrency' before the command");
    expect(early.stderr).toMatch(/hint: /);

    const none = await runCli(["--cwd", project]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no command given");
  });
});
