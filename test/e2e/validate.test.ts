// `validate` through the built CLI: every kind of bad input exits 2 with `file:line:col: message`
// pointing at the offending node, and changes no file (DESIGN §6.5).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyExamples, makeProject, runCli } from "../helpers/cli.ts";

/** Every file under .milestones/ with its exact bytes. */
function snapshot(project: string): Record<string, string> {
  const root = path.join(project, ".milestones");
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(project, file)] = fs.readFileSync(file).toString("base64");
  }
  return out;
}

const task = (id: string, extra = "") => `  - id: ${id}\n    title: Task ${id}\n    run: echo ${id}\n${extra}`;

interface BadCase {
  name: string;
  /** The file's name under .milestones/active/, without .yaml. */
  id: string;
  content: string;
  at: string;
  message: string;
}

const BAD: BadCase[] = [
  {
    name: "a YAML syntax error",
    id: "syntax",
    content: `id: syntax\ntasks:\n  - id: a\n    title: "never closed\n    run: echo a\n`,
    at: "6:1",
    message: "invalid YAML: Missing closing \"quote",
  },
  {
    name: "a duplicate key",
    id: "dupkey",
    content: `id: dupkey\ntitle: One\ntasks:\n${task("a")}title: Two\n`,
    at: "7:1",
    message: "duplicate key 'title'",
  },
  {
    name: "a schema violation",
    id: "schema",
    content: `id: schema\ntasks:\n${task("a")}${task("b", "    retries: -1\n")}`,
    at: "9:14",
    message: "tasks[1].retries: must be a whole number ≥ 0",
  },
  {
    name: "a duplicate task id",
    id: "dupid",
    content: `id: dupid\ntasks:\n${task("a")}${task("b")}${task("a")}`,
    at: "9:9",
    message: "duplicate task id 'a' (first defined on line 3)",
  },
  {
    name: "a dependency on an unknown task",
    id: "unknown",
    content: `id: unknown\ntasks:\n${task("a")}${task("b", "    dependencies:\n      - a\n      - nope\n")}`,
    at: "11:9",
    message: "task 'b' depends on unknown task 'nope'",
  },
  {
    name: "a dependency cycle",
    id: "cycle",
    content: `id: cycle\ntasks:\n${task("a", "    dependencies: [c]\n")}${task("b", "    dependencies: [a]\n")}${task("c", "    depends_on: [b]\n")}`,
    at: "6:20",
    message: "dependency cycle: a → c → b → a",
  },
  {
    name: "a self-dependency",
    id: "self",
    content: `id: self\ntasks:\n${task("a")}${task("b", "    dependencies: [a, b]\n")}`,
    at: "9:23",
    message: "task 'b' depends on itself",
  },
  {
    name: "an id that differs from the file name",
    id: "file-name",
    content: `id: other-name\ntasks:\n${task("a")}`,
    at: "1:5",
    message: "id 'other-name' does not match the file name 'file-name.yaml'",
  },
  {
    name: "an id with a path in it",
    id: "path-id",
    content: `id: ../x\ntasks:\n${task("a")}`,
    at: "1:5",
    message: "id: must start with a letter or digit, use only letters, digits, '.', '_' and '-', and neither contain '..' nor end in '.', '.lock' or '.jsonl' (got '../x')",
  },
  {
    name: "an id with a space",
    id: "space-id",
    content: `id: "two words"\ntasks:\n${task("a")}`,
    at: "1:5",
    message: "id: must start with a letter or digit, use only letters, digits, '.', '_' and '-', and neither contain '..' nor end in '.', '.lock' or '.jsonl' (got 'two words')",
  },
  {
    name: "a task id over 64 characters",
    id: "long-id",
    content: `id: long-id\ntasks:\n${task("x".repeat(65))}`,
    at: "3:9",
    message: "tasks[0].id: must be at most 64 characters (got 65",
  },
  {
    name: "a task with nothing to run and no agent configured",
    id: "no-agent",
    content: `id: no-agent\ntasks:\n${task("a")}  - id: b\n    title: Write the docs\n`,
    at: "6:5",
    message: "task 'b' has no run or agent, so its title and description go to the agent command, but none is configured: set agent.command in .milestones/config.yaml",
  },
  {
    name: "an empty file",
    id: "empty",
    content: "# nothing here yet\n\n",
    at: "1:1",
    message: "the file is empty: a milestone needs at least id and tasks",
  },
  {
    name: "a task with both run and agent",
    id: "both",
    content: `id: both\ntasks:\n${task("a", "    agent: Do it with care\n")}`,
    at: "6:12",
    message: "task 'a' has both run and agent",
  },
];

describe("validate rejects bad input with its location and changes nothing", () => {
  for (const bad of BAD) {
    it(`reports ${bad.name}`, async () => {
      const rel = `.milestones/active/${bad.id}.yaml`;
      const project = makeProject({ [rel]: bad.content });
      const before = snapshot(project);
      const result = await runCli(["validate"], { cwd: project });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${rel}:${bad.at}: ${bad.message}`);
      expect(snapshot(project)).toEqual(before);
    });
  }

  it("reports the id over 64 characters of a milestone", async () => {
    const id = "m".repeat(65);
    const project = makeProject({ ".milestones/active/long.yaml": `id: ${id}\ntasks: []\n` });
    const result = await runCli(["validate", "long"], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(".milestones/active/long.yaml:1:5: id: must be at most 64 characters (got 65");
  });

  it("reports every problem of a file at once, in file order", async () => {
    const rel = ".milestones/active/many.yaml";
    const content = [
      "id: many",
      "tasks:",
      "  - id: a",
      "    title: A",
      "    run: echo a",
      "    timeout: soon",
      "  - id: a",
      "    title: Again",
      "    run: echo again",
      "  - id: c",
      "    run: echo c",
      "    dependencies: [ghost]",
      "",
    ].join("\n");
    const project = makeProject({ [rel]: content });
    const before = snapshot(project);
    const result = await runCli(["validate", "--json"], { cwd: project });
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    const errors = report.files[0].errors.map((e: { line: number; col: number; message: string }) => `${e.line}:${e.col}: ${e.message}`);
    expect(errors).toEqual([
      "6:14: tasks[0].timeout: must be a duration such as 90s, 30m or 1h (got 'soon')",
      "7:9: duplicate task id 'a' (first defined on line 3)",
      "10:5: tasks[2].title: is required",
      "12:20: task 'c' depends on unknown task 'ghost'",
    ]);
    expect(report.files[0].errors[0].file).toBe(rel);
    expect(snapshot(project)).toEqual(before);
  });

  it("names a file outside the current directory by its absolute path", async () => {
    const project = makeProject({ ".milestones/active/x.yaml": "id: y\ntasks: []\n" });
    const file = path.join(project, ".milestones/active/x.yaml");
    const result = await runCli(["validate", file], { cwd: makeProject() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:1:5: id 'y' does not match the file name 'x.yaml'`);
  });

  it("reports a bad config.yaml with its location", async () => {
    const project = makeProject({
      ".milestones/config.yaml": "concurrency: 0\nagent:\n  command: claude -p\n",
      ".milestones/active/ok.yaml": `id: ok\ntasks:\n${task("a")}`,
    });
    const result = await runCli(["validate", "--json"], { cwd: project });
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.files.map((f: { file: string; ok: boolean }) => [f.file, f.ok])).toEqual([
      [".milestones/config.yaml", false],
      [".milestones/active/ok.yaml", true],
    ]);
    expect(report.files[0].errors.map((e: { line: number; col: number }) => `${e.line}:${e.col}`)).toEqual(["1:14", "3:12"]);
  });

  it("refuses an unknown milestone id with exit code 2", async () => {
    const project = makeProject({ ".milestones/active/a.yaml": `id: a\ntasks:\n${task("x")}` });
    const result = await runCli(["validate", "nope"], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no milestone 'nope'");
  });
});

describe("validate accepts good input", () => {
  it("accepts the bundled examples, old-format tasks included (their agent comes from the config)", async () => {
    const project = copyExamples();
    const before = snapshot(project);
    const result = await runCli(["validate", "--json"], { cwd: project });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(true);
    expect(report.files.map((f: { id: string | null }) => f.id)).toEqual([null, "docs-site", "release-0-2", "release-0-1"]);
    expect(report.files.every((f: { errors: unknown[]; warnings: unknown[] }) => f.errors.length === 0 && f.warnings.length === 0)).toBe(true);
    expect(snapshot(project)).toEqual(before);
  });

  it("validates one milestone by id or by path, from another directory with --cwd", async () => {
    const project = copyExamples();
    const byId = await runCli(["validate", "release-0-2", "--cwd", project]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toContain("2 files checked: all valid");
    const byPath = await runCli(["validate", path.join(project, ".milestones/completed/release-0-1.yaml"), "--cwd", project]);
    expect(byPath.code).toBe(0);
  });

  it("reads the old status 'planning' as 'planned' with a warning", async () => {
    const rel = ".milestones/active/old.yaml";
    const project = makeProject({ [rel]: `id: old\nstatus: planning\ntasks:\n${task("a")}` });
    const result = await runCli(["validate"], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${rel}:2:9: warning: status 'planning' is the old name of 'planned'`);
  });

  it("warns, without failing, about a required milestone that is not completed", async () => {
    const rel = ".milestones/active/later.yaml";
    const project = makeProject({ [rel]: `id: later\ndependencies:\n  requires: [first]\ntasks:\n${task("a")}` });
    const result = await runCli(["validate"], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`${rel}:3:14: warning: requires milestone 'first', which is not completed yet`);
  });

  it("accepts a task without run when --agent names the agent command", async () => {
    const project = makeProject({ ".milestones/active/doc.yaml": "id: doc\ntasks:\n  - id: a\n    title: Write the docs\n" });
    const result = await runCli(["validate", "--agent", "claude -p"], { cwd: project });
    expect(result.code).toBe(0);
  });
});
