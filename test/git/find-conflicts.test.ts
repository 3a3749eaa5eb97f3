// findConflicts and the refusal to commit over them, on conflicts made by the git CLI itself.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commitTask } from "../../src/git/commit-task.ts";
import { ensureBranch } from "../../src/git/ensure-branch.ts";
import { findConflicts } from "../../src/git/find-conflicts.ts";
import { author, commitCount, git, makeRepo, repoAt, writeFiles } from "./temp-repo.ts";

// Built, not written out, so that this file never holds a line that looks like a conflict.
const OPEN = "<".repeat(7);
const CLOSE = ">".repeat(7);

/** main and `other` both edit line 1 of shared.txt; HEAD ends on `milestone/m` = main. */
function divergedRepo(): string {
  const dir = makeRepo({ "shared.txt": "base\n", "calm.txt": "calm\n" });
  git(dir, ["switch", "-q", "-c", "other"]);
  writeFiles(dir, { "shared.txt": "theirs\n" });
  git(dir, ["commit", "-q", "-am", "theirs"]);
  git(dir, ["switch", "-q", "main"]);
  writeFiles(dir, { "shared.txt": "ours\n" });
  git(dir, ["commit", "-q", "-am", "ours"]);
  git(dir, ["switch", "-q", "-c", "milestone/m"]);
  return dir;
}

const task = (dir: string, repo: Awaited<ReturnType<typeof repoAt>>, taskId = "t1") =>
  commitTask(repo, { milestoneId: "m", taskId, title: "t", projectDir: dir, author, branch: "milestone/m" });

describe("findConflicts", () => {
  it("finds nothing in a clean repository", async () => {
    expect(await findConflicts(await repoAt(makeRepo()))).toEqual([]);
  });

  it("reports a failed git merge as unmerged paths and a merge in progress, and commitTask refuses", async () => {
    const dir = divergedRepo();
    expect(git(dir, ["merge", "other"], { allowFailure: true })).toMatch(/CONFLICT/);
    const repo = await repoAt(dir);
    const conflicts = await findConflicts(repo);
    expect(conflicts).toEqual([
      { kind: "unmerged", path: "shared.txt", detail: "unmerged (both modified)" },
      expect.objectContaining({ kind: "merge_in_progress" }),
    ]);
    const before = commitCount(dir);
    writeFiles(dir, { "calm.txt": "changed\n" });
    await expect(task(dir, repo)).rejects.toMatchObject({ code: "conflict", conflicts });
    expect(commitCount(dir)).toBe(before);
    expect(fs.existsSync(path.join(dir, ".git/index.lock"))).toBe(false);
  });

  it("reports a rebase stopped by a conflict", async () => {
    const dir = divergedRepo();
    git(dir, ["rebase", "other"], { allowFailure: true });
    const kinds = (await findConflicts(await repoAt(dir))).map((c) => c.kind);
    expect(kinds).toEqual(["unmerged", "rebase_in_progress"]);
  });

  it("finds conflict markers left in a changed file, and commitTask will not commit them", async () => {
    const dir = makeRepo({ "src/app.ts": "one\n", "docs/guide.md": "Title\n" });
    const repo = await repoAt(dir);
    await ensureBranch(repo, "milestone/m");
    writeFiles(dir, {
      "src/app.ts": `one\n${OPEN} HEAD\ntwo\n=======\nthree\n${CLOSE} feature\n`,
      // A Markdown heading underline is not a conflict.
      "docs/guide.md": "Title\n=======\n\ntext\n",
    });
    const conflicts = await findConflicts(repo);
    expect(conflicts).toEqual([{ kind: "markers", path: "src/app.ts", detail: `conflict marker '${OPEN}' at line 2` }]);
    expect(await findConflicts(repo, { changedPaths: ["docs/guide.md"] })).toEqual([]);
    await expect(task(dir, repo)).rejects.toMatchObject({ code: "conflict" });
    expect(commitCount(dir)).toBe(1);
    // With the markers gone the same task commits.
    writeFiles(dir, { "src/app.ts": "one\ntwo\n" });
    expect((await task(dir, repo)).files).toEqual(["docs/guide.md", "src/app.ts"]);
  });

  it("ignores marker-like bytes in binary files", async () => {
    const dir = makeRepo();
    fs.writeFileSync(path.join(dir, "blob.bin"), Buffer.concat([Buffer.from(`${OPEN} x\n`), Buffer.from([0, 1, 2])]));
    expect(await findConflicts(await repoAt(dir))).toEqual([]);
  });
});
