// .git/index.lock as git uses it: we wait for a lock another git command holds for a moment, and
// give up with a GitError naming the file when it stays.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commitTask } from "../../src/git/commit-task.ts";
import { ensureBranch } from "../../src/git/ensure-branch.ts";
import { lockIndex } from "../../src/git/index-cache.ts";
import { author, commitCount, makeRepo, repoAt, status, writeFiles } from "./temp-repo.ts";

describe("the index lock", () => {
  it("waits for a lock another git command releases, then commits", async () => {
    const dir = makeRepo();
    const repo = await repoAt(dir);
    await ensureBranch(repo, "milestone/l");
    writeFiles(dir, { "a.txt": "a\n" });
    const lockFile = path.join(dir, ".git/index.lock");
    fs.writeFileSync(lockFile, "");
    setTimeout(() => fs.rmSync(lockFile), 300);
    const { sha } = await commitTask(repo, { milestoneId: "l", taskId: "t", title: "t", projectDir: dir, author, branch: "milestone/l" });
    expect(sha).not.toBeNull();
    expect(commitCount(dir)).toBe(2);
    expect(status(dir)).toBe("");
  });

  it("gives up with a GitError when the lock stays, and never removes someone else's lock", async () => {
    const dir = makeRepo();
    const lockFile = path.join(dir, ".git/index.lock");
    fs.writeFileSync(lockFile, "");
    await expect(lockIndex(await repoAt(dir), 100)).rejects.toMatchObject({ code: "locked", hint: expect.stringContaining(lockFile) });
    expect(fs.existsSync(lockFile)).toBe(true);
  });
});
