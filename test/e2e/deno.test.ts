// The same sources run under Deno, straight from src/cli.ts, with narrowed permissions.
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { copyExamples, DENO, makeProject, readEvents, REPO, type CliResult } from "../helpers/cli.ts";
import { PYTHON_SPAWNER } from "../exec/fixtures/built-spawner.ts";
import { PARENT_COMMAND_LINE } from "../helpers/processes.ts";
import { maxOverlap, startsAfterDependencies } from "../helpers/event-checks.ts";
import { commitsOf, git, makeGitProject } from "../helpers/git-cli.ts";

function runDeno(permissions: string[], args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(DENO, ["run", "--no-prompt", ...permissions, path.join(REPO, "src/cli.ts"), ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const narrowed = (project: string) => [
  `--allow-read=${project}`,
  `--allow-write=${project}`,
  "--allow-run",
  "--allow-env",
  "--allow-sys=hostname,statfs",
];

describe("under Deno", () => {
  it("runs tasks in worktrees of a git repository and lands one commit each, with read and write narrowed to the project", async () => {
    const project = makeGitProject({
      "app.txt": "one\ntwo\nthree\n",
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: a, title: A, run: sed -i 's/one/ONE/' app.txt }\n  - { id: b, title: B, run: sed -i 's/three/THREE/' app.txt }\n",
    });
    const base = git(project, ["rev-parse", "HEAD"]);
    const r = await runDeno(narrowed(project), ["execute", "m", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    expect(commitsOf(project, `${base}..milestone/m`).map((c) => c.files)).toEqual([["app.txt"], ["app.txt"]]);
    expect(git(project, ["show", "milestone/m:app.txt"])).toBe("ONE\ntwo\nTHREE");
    expect(git(project, ["symbolic-ref", "--short", "HEAD"])).toBe("main");
    expect(fs.readFileSync(path.join(project, "app.txt"), "utf8")).toBe("one\ntwo\nthree\n");
  });

  it("runs both bundled examples to completion with permissions narrowed to the project", async () => {
    const project = copyExamples();
    const docs = await runDeno(narrowed(project), ["execute", "docs-site", "--cwd", project]);
    expect(docs.stderr).toBe("");
    expect(docs.code).toBe(0);
    expect(fs.existsSync(path.join(project, ".milestones/completed/docs-site.yaml"))).toBe(true);
    const events = readEvents(project, "docs-site");
    expect(startsAfterDependencies(events, { index: ["api-pages", "guide-pages", "flaky-fetch"] })).toEqual([]);
    expect(maxOverlap(events)).toBeLessThanOrEqual(2);

    const release = await runDeno(narrowed(project), ["execute", "release-0-2", "--cwd", project]);
    expect(release.code).toBe(0);
    expect(fs.readFileSync(path.join(project, "agent-work.txt"), "utf8").split("agent got: ")).toHaveLength(4);

    const status = await runDeno(narrowed(project), ["status", "docs-site", "--json", "--cwd", project]);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: "docs-site", status: "completed", progress: { percentage: 100 } });
  });

  it("`deno task mm` (deno.json) runs the CLI with the documented permissions and passes arguments through", () => {
    const r = spawnSync(DENO, ["task", "mm", "validate", "--json", "--cwd", "examples"], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
  });

  it("a missing permission gives one line naming the flag, exit 2, and the milestone is left paused", async () => {
    const project = copyExamples();
    const noEnv = narrowed(project).filter((p) => p !== "--allow-env").concat("--allow-env=LOG_TOKENS,LOG_STREAM,NO_COLOR");
    const r = await runDeno(noEnv, ["execute", "docs-site", "--cwd", project]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing Deno permission");
    expect(r.stderr).toContain("--allow-env");
    expect(r.stderr).not.toContain("    at ");
    expect(fs.readFileSync(path.join(project, ".milestones/active/docs-site.yaml"), "utf8")).toMatch(/^status: paused$/m);

    const noWrite = await runDeno([`--allow-read=${project}`, "--allow-env"], ["execute", "docs-site", "--cwd", project]);
    expect(noWrite.code).toBe(2);
    expect(noWrite.stderr.trim().split("\n")[0]).toMatch(/missing Deno permission: .*--allow-(write|sys|run)/);
  });

  it.runIf(PYTHON_SPAWNER)("starts tasks through spawner.py, or itself with MM_SPAWNER=node", async () => {
    const milestone = `id: m\ntitle: m\ntasks:\n  - id: a\n    title: a\n    run: ${PARENT_COMMAND_LINE} > parent\n`;
    const parentOfTask = async (env: NodeJS.ProcessEnv) => {
      const project = makeProject({ ".milestones/active/m.yaml": milestone });
      try {
        const r = await runDeno(narrowed(project), ["execute", "m", "--cwd", project, "--no-git"], env);
        expect(r.code, r.stderr).toBe(0);
        return fs.readFileSync(path.join(project, "parent"), "utf8");
      } finally {
        fs.rmSync(project, { recursive: true, force: true });
      }
    };
    expect(await parentOfTask({})).toMatch(/python.* -I -S .*spawner\.py/);
    expect(await parentOfTask({ MM_SPAWNER: "node" })).toMatch(/deno .*src\/cli\.ts execute m/);
  });
});
