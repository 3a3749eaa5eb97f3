// `init`, `new` and `schema` through the built CLI: what they create validates, and they never
// overwrite a user's file.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runCli } from "../helpers/cli.ts";

describe("schema", () => {
  it("prints the milestone file's JSON Schema", async () => {
    const result = await runCli(["schema"]);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.type).toBe("object");
    expect(schema.properties.tasks.type).toBe("array");
    expect(schema.required).toEqual(expect.arrayContaining(["id", "tasks"]));
  });

  it("prints the config file's JSON Schema with --config", async () => {
    const result = await runCli(["schema", "--config"]);
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.properties.agent.properties.command.type).toBe("array");
    expect(schema.properties.tasks).toBeUndefined();
  });
});

describe("init", () => {
  it("creates the folders, a config and an example milestone that validate", async () => {
    const project = makeProject();
    const init = await runCli(["init"], { cwd: project });
    expect(init.code).toBe(0);
    for (const dir of ["active", "completed", "logs", "sessions"]) {
      expect(fs.statSync(path.join(project, ".milestones", dir)).isDirectory()).toBe(true);
    }
    expect(fs.readFileSync(path.join(project, ".milestones/config.yaml"), "utf8")).toContain("concurrency: 2");
    const validate = await runCli(["validate"], { cwd: project });
    expect(validate.stderr).toBe("");
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain("2 files checked: all valid");
  });

  it("keeps existing files and says so", async () => {
    const project = makeProject({ ".milestones/config.yaml": "concurrency: 7\n" });
    const result = await runCli(["init", "--json"], { cwd: project });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      created: [".milestones/active/example.yaml"],
      skipped: [".milestones/config.yaml"],
    });
    expect(fs.readFileSync(path.join(project, ".milestones/config.yaml"), "utf8")).toBe("concurrency: 7\n");
  });
});

describe("new", () => {
  it("creates a milestone that validates", async () => {
    const project = makeProject();
    const created = await runCli(["new", "foo", "--title", "Foo: the first # part", "--json"], { cwd: project });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual({ file: ".milestones/active/foo.yaml" });
    const validate = await runCli(["validate", "foo", "--json"], { cwd: project });
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout).files[0].id).toBe("foo");
    expect(fs.readFileSync(path.join(project, ".milestones/active/foo.yaml"), "utf8")).toContain("title: \"Foo: the first # part\"");
  });

  it("refuses an unsafe id and writes nothing", async () => {
    const project = makeProject();
    const result = await runCli(["new", "../x"], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'../x' is not a valid milestone id");
    expect(fs.existsSync(path.join(project, ".milestones"))).toBe(false);
    expect(fs.readdirSync(project)).toEqual([]);
  });

  it("refuses an id that already has a file", async () => {
    const project = makeProject({ ".milestones/completed/done.yaml": "id: done\ntasks: []\n" });
    const result = await runCli(["new", "done"], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("milestone 'done' already exists: .milestones/completed/done.yaml");
    expect(fs.existsSync(path.join(project, ".milestones/active/done.yaml"))).toBe(false);
  });
});
