// The git library's .ts sources under Deno 2 with narrowed permissions (DESIGN §8): the same
// commits as under Node, checked with the git CLI.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { filesOf, fsck, git, makeRepo, status } from "./temp-repo.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DENO = path.join(REPO, "node_modules/.bin/deno");
const SCENARIO = path.join(REPO, "test/git/deno-commit-scenario.ts");

describe.skipIf(!fs.existsSync(DENO))("the git library under Deno", () => {
  it("commits, finds the task's commit again and leaves an index git accepts", () => {
    const dir = makeRepo({ "src/a.ts": "export const a = 1;\n", "notes.md": "notes\n" });
    // isomorphic-git's `ignore` dependency reads IGNORE_TEST_WIN32 when it is imported.
    const env = "--allow-env=HOME,XDG_CONFIG_HOME,GIT_AUTHOR_NAME,GIT_AUTHOR_EMAIL,IGNORE_TEST_WIN32";
    const flags = [`--allow-read=${REPO},${dir}`, `--allow-write=${dir}`, env, "--no-prompt"];
    const run = spawnSync(DENO, ["run", ...flags, SCENARIO, dir], { encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.branch).toMatchObject({ created: true });
    expect(out.author).toEqual({ name: "Repo Owner", email: "owner@example.test" });
    expect(filesOf(dir, out.first.sha)).toEqual(["src/a.ts"]);
    expect(filesOf(dir, out.second.sha)).toEqual(["notes.md", "src/a.ts"]);
    expect(git(dir, ["show", `${out.second.sha}:src/a.ts`])).toBe("export const a = 3;");
    expect(out.again).toEqual({ sha: out.first.sha, files: [], existing: true });
    expect(out.conflicts).toEqual([]);
    expect(status(dir)).toBe("");
    fsck(dir);
  });
});
