// Which spawner the CLI starts tasks from under Node: spawner.py where python3 runs it, else, or
// with MM_SPAWNER=node, spawner-main.js; a python3 that cannot run it costs nothing but speed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runCli } from "../helpers/cli.ts";
import { PARENT_COMMAND_LINE } from "../helpers/processes.ts";
import { PYTHON_SPAWNER, runsSpawnerPy } from "../exec/fixtures/built-spawner.ts";

// Two tasks at once, each writing the command line of the process that started it.
const MILESTONE = [
  "id: m",
  "title: m",
  "tasks:",
  ...["a", "b"].flatMap((id) => [`  - id: ${id}`, `    title: ${id}`, `    run: ${PARENT_COMMAND_LINE} > ${id}.parent`]),
  "",
].join("\n");

async function parentsOfTasks(env: NodeJS.ProcessEnv): Promise<string[]> {
  const project = makeProject({ ".milestones/active/m.yaml": MILESTONE });
  try {
    const r = await runCli(["execute", "m", "--cwd", project, "--no-git"], { env });
    expect(r.code, r.stderr).toBe(0);
    return ["a", "b"].map((id) => fs.readFileSync(path.join(project, `${id}.parent`), "utf8"));
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

const SYSTEM_PYTHON_SPAWNER = runsSpawnerPy("/usr/bin/python3");

// A python3 shim as pyenv's or asdf's, first on the PATH: it leaves a mark, then runs the system's.
function pathWithShim(): { dir: string; mark: string; shim: string; env: NodeJS.ProcessEnv } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-shim-"));
  const mark = path.join(dir, "shim-ran");
  const shim = path.join(dir, "python3");
  fs.writeFileSync(shim, `#!/bin/sh\ntouch ${mark}\nexec /usr/bin/python3 "$@"\n`, { mode: 0o755 });
  return { dir, mark, shim, env: { PATH: `${dir}${path.delimiter}${process.env.PATH}` } };
}

describe.runIf(process.platform === "linux")("the spawner tasks start from", () => {
  it.runIf(PYTHON_SPAWNER)("is spawner.py by default where python3 runs it", async () => {
    for (const parent of await parentsOfTasks({})) expect(parent).toMatch(/python.* -I -S .*spawner\.py/);
  });

  it.runIf(SYSTEM_PYTHON_SPAWNER)("runs on /usr/bin/python3 rather than a python3 shim first on the PATH", async () => {
    const { dir, mark, env } = pathWithShim();
    try {
      for (const parent of await parentsOfTasks(env)) expect(parent).toMatch(/^\/usr\/bin\/python3 -I -S .*spawner\.py/);
      expect(fs.existsSync(mark)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(SYSTEM_PYTHON_SPAWNER)("runs on the interpreter MM_PYTHON names, and on no other", async () => {
    const { dir, mark, shim } = pathWithShim();
    try {
      for (const parent of await parentsOfTasks({ MM_PYTHON: shim })) expect(parent).toMatch(/^\/usr\/bin\/python3 -I -S .*spawner\.py/);
      expect(fs.existsSync(mark)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is explained, with the variables that choose it, in execute --help", async () => {
    const help = await runCli(["execute", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/spawner\.py[\s\S]*MM_PYTHON=PATH[\s\S]*MM_SPAWNER=node/);
  });

  it("is spawner-main.js with MM_SPAWNER=node", async () => {
    for (const parent of await parentsOfTasks({ MM_SPAWNER: "node" })) expect(parent).toContain("spawner-main.js");
  });

  it("is not chosen by a misspelt MM_SPAWNER: execute and resume refuse it before touching anything", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": MILESTONE });
    try {
      for (const command of ["execute", "resume"]) {
        const r = await runCli([command, "m", "--cwd", project, "--no-git"], { env: { MM_SPAWNER: "nod" } });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("MM_SPAWNER=nod: not a spawner this version knows");
      }
      expect(fs.readFileSync(path.join(project, ".milestones/active/m.yaml"), "utf8")).toBe(MILESTONE);
      expect(fs.existsSync(path.join(project, ".milestones/logs"))).toBe(false);
      expect(fs.existsSync(path.join(project, "a.parent"))).toBe(false);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it("is spawner-main.js when the python3 named by MM_PYTHON does not exist, and the run is unaffected", async () => {
    for (const parent of await parentsOfTasks({ MM_PYTHON: "/no/such/python3" })) expect(parent).toContain("spawner-main.js");
  });
});
