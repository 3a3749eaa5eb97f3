// Start-up cost: commands do not load the yaml library for milestone files in the plain subset
// (they are read by plain-yaml.ts and written by plain-yaml-edit.ts); it loads when a file
// needs it. Checked on the built CLI, from the modules Node actually loaded.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, REPO, makeProject } from "../helpers/cli.ts";

const PRELOAD = path.join(REPO, "test/fixtures/report-loaded-packages.cjs");
const PLAIN = "id: m\ntitle: Plain\ntasks:\n  - id: a\n    title: A\n    run: 'true'\n";
// An anchor and an alias: valid YAML outside the plain subset.
const NOT_PLAIN = "id: m\ntitle: &t Not plain\ntasks:\n  - id: a\n    title: *t\n    run: 'true'\n";

function loadedPackages(args: string[]): string[] {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mm-loaded-")), "loaded.json");
  const run = spawnSync(process.execPath, ["--require", PRELOAD, CLI, ...args], { encoding: "utf8", env: { ...process.env, MM_LOADED_REPORT: report } });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(fs.readFileSync(report, "utf8"));
}

describe("lazily loaded modules", () => {
  it("validate, status and execute of a plain milestone do not load yaml; a file outside the subset does", () => {
    const plain = makeProject({ ".milestones/active/m.yaml": PLAIN });
    expect(loadedPackages(["validate", "m", "--cwd", plain])).not.toContain("yaml");
    expect(loadedPackages(["status", "m", "--cwd", plain])).not.toContain("yaml");
    // A whole run too: the milestone file and the session record are written without it.
    expect(loadedPackages(["execute", "m", "--cwd", plain, "--no-git"])).not.toContain("yaml");
    expect(fs.readdirSync(path.join(plain, ".milestones/sessions")).some((n) => n.endsWith(".yaml"))).toBe(true);
    const other = makeProject({ ".milestones/active/m.yaml": NOT_PLAIN });
    expect(loadedPackages(["validate", "m", "--cwd", other])).toContain("yaml");
  });
});
