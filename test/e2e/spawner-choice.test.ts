// Which spawner the CLI starts tasks from under Node: spawner.py where python3 runs it, else, or
// with MM_SPAWNER=node, spawner-main.js; a python3 that cannot run it costs nothing but speed.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runCli } from "../helpers/cli.ts";
import { PARENT_COMMAND_LINE } from "../helpers/processes.ts";
import { PYTHON_SPAWNER } from "../exec/fixtures/built-spawner.ts";

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

describe.runIf(process.platform === "linux")("the spawner tasks start from", () => {
  it.runIf(PYTHON_SPAWNER)("is spawner.py by default where python3 runs it", async () => {
    for (const parent of await parentsOfTasks({})) expect(parent).toMatch(/python.* -I -S .*spawner\.py/);
  });

  it("is explained, with the variables that choose it, in execute --help", async () => {
    const help = await runCli(["execute", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/spawner\.py[\s\S]*MM_PYTHON=PATH[\s\S]*MM_SPAWNER=node/);
  });

  it("is spawner-main.js with MM_SPAWNER=node", async () => {
    for (const parent of await parentsOfTasks({ MM_SPAWNER: "node" })) expect(parent).toContain("spawner-main.js");
  });

  it("is spawner-main.js when the python3 named by MM_PYTHON does not exist, and the run is unaffected", async () => {
    for (const parent of await parentsOfTasks({ MM_PYTHON: "/no/such/python3" })) expect(parent).toContain("spawner-main.js");
  });
});
