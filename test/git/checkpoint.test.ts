// Checkpoint commits and the uncommitted-file count they are decided on.
import { describe, expect, it } from "vitest";
import { checkpoint } from "../../src/git/checkpoint.ts";
import { ensureBranch } from "../../src/git/ensure-branch.ts";
import { uncommittedCount, uncommittedFiles } from "../../src/git/uncommitted-count.ts";
import { author, commitCount, filesOf, fsck, git, makeRepo, repoAt, status, writeFiles } from "./temp-repo.ts";

async function setUp() {
  const dir = makeRepo({ "a.txt": "a\n", "b.txt": "b\n" });
  const repo = await repoAt(dir);
  await ensureBranch(repo, "milestone/cp");
  const run = (minFiles: number, exclude?: string[]) =>
    checkpoint(repo, { milestoneId: "cp", projectDir: dir, author, minFiles, branch: "milestone/cp", exclude });
  return { dir, repo, run };
}

describe("checkpoint", () => {
  it("commits nothing while no more than minFiles files are uncommitted", async () => {
    const { dir, repo, run } = await setUp();
    writeFiles(dir, { "a.txt": "a2\n", "new/one.txt": "1\n" });
    expect(await uncommittedCount(repo)).toBe(2);
    expect(await run(2)).toEqual({ sha: null, files: 2 });
    expect(commitCount(dir)).toBe(1);
    expect(status(dir).split("\n").sort()).toEqual([" M a.txt", "?? new/one.txt"]);
  });

  it("commits everything uncommitted once more than minFiles files are, with the milestone trailer", async () => {
    const { dir, repo, run } = await setUp();
    writeFiles(dir, { "a.txt": "a2\n", "new/one.txt": "1\n", "new/two.txt": "2\n" });
    git(dir, ["rm", "-q", "b.txt"]);
    const result = await run(3);
    expect(result.files).toBe(4);
    expect(filesOf(dir, result.sha!)).toEqual(["a.txt", "b.txt", "new/one.txt", "new/two.txt"]);
    expect(git(dir, ["log", "-1", "--format=%s"])).toBe("checkpoint(milestone-cp): auto-commit during execution");
    expect(git(dir, ["log", "-1", "--format=%(trailers:key=Milestone,valueonly)"]).trim()).toBe("cp");
    expect(await uncommittedCount(repo)).toBe(0);
    expect(status(dir)).toBe("");
    fsck(dir);
  });

  it("leaves excluded paths (the executor's own logs) out of the count and the commit", async () => {
    const { dir, repo, run } = await setUp();
    writeFiles(dir, { ".milestones/logs/execution-cp.jsonl": "{}\n", ".milestones/active/cp.yaml": "id: cp\n", "a.txt": "a2\n" });
    const exclude = [".milestones/logs/"];
    expect(await uncommittedFiles(repo, { projectDir: dir, exclude })).toEqual([".milestones/active/cp.yaml", "a.txt"]);
    const { sha } = await run(0, exclude);
    expect(filesOf(dir, sha!)).toEqual([".milestones/active/cp.yaml", "a.txt"]);
    expect(status(dir)).toBe("?? .milestones/logs/execution-cp.jsonl");
  });
});
