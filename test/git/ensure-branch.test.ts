// ensureBranch moves HEAD only: new branches start at HEAD's commit, existing ones are switched
// to without touching working files or the index, and an unborn HEAD just names the new branch.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commitTask } from "../../src/git/commit-task.ts";
import { ensureBranch } from "../../src/git/ensure-branch.ts";
import { author, commitCount, git, makeRepo, repoAt, status, writeFiles } from "./temp-repo.ts";

describe("ensureBranch", () => {
  it("creates the branch at HEAD and leaves working files, index and status as they were", async () => {
    const dir = makeRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    writeFiles(dir, { "a.txt": "edited\n", "b.txt": "staged\n", "new.txt": "untracked\n" });
    git(dir, ["add", "b.txt"]);
    const before = status(dir);
    const head = git(dir, ["rev-parse", "HEAD"]);
    const result = await ensureBranch(await repoAt(dir), "milestone/x");
    expect(result).toEqual({ branch: "milestone/x", created: true, from: head });
    expect(git(dir, ["symbolic-ref", "HEAD"])).toBe("refs/heads/milestone/x");
    expect(git(dir, ["rev-parse", "milestone/x"])).toBe(head);
    expect(status(dir)).toBe(before);
    expect(fs.readFileSync(path.join(dir, "a.txt"), "utf8")).toBe("edited\n");
  });

  it("switches to an existing branch by moving HEAD only, even when its tip differs", async () => {
    const dir = makeRepo({ "a.txt": "a\n" });
    git(dir, ["branch", "milestone/y"]);
    writeFiles(dir, { "a.txt": "main moved on\n" });
    git(dir, ["commit", "-q", "-am", "on main"]);
    const mainTip = git(dir, ["rev-parse", "main"]);
    const result = await ensureBranch(await repoAt(dir), "milestone/y");
    expect(result).toEqual({ branch: "milestone/y", created: false, from: mainTip });
    expect(git(dir, ["symbolic-ref", "HEAD"])).toBe("refs/heads/milestone/y");
    expect(git(dir, ["rev-parse", "main"])).toBe(mainTip);
    // The file keeps main's content: what differs from the branch tip now shows as a change.
    expect(fs.readFileSync(path.join(dir, "a.txt"), "utf8")).toBe("main moved on\n");
    expect(status(dir)).toBe("M  a.txt");
  });

  it("is a no-op when HEAD is already on the branch", async () => {
    const dir = makeRepo();
    const repo = await repoAt(dir);
    await ensureBranch(repo, "milestone/z");
    expect(await ensureBranch(repo, "milestone/z")).toMatchObject({ created: false });
    expect(git(dir, ["symbolic-ref", "HEAD"])).toBe("refs/heads/milestone/z");
  });

  it("makes an unborn HEAD name the unborn branch, which the first commit creates", async () => {
    const dir = makeRepo({});
    const repo = await repoAt(dir);
    expect(await ensureBranch(repo, "milestone/first")).toEqual({ branch: "milestone/first", created: true, from: null });
    expect(git(dir, ["symbolic-ref", "HEAD"])).toBe("refs/heads/milestone/first");
    expect(git(dir, ["rev-parse", "--verify", "-q", "milestone/first"], { allowFailure: true })).toBe("");
    writeFiles(dir, { "src/one.ts": "1\n" });
    const { sha } = await commitTask(repo, { milestoneId: "first", taskId: "t1", title: "one", projectDir: dir, author, branch: "milestone/first" });
    expect(git(dir, ["rev-parse", "milestone/first"])).toBe(sha);
    expect(commitCount(dir)).toBe(1);
    expect(git(dir, ["log", "-1", "--format=%P"])).toBe("");
    expect(status(dir)).toBe("");
  });

  it("rejects a name git would not accept as a branch", async () => {
    const repo = await repoAt(makeRepo());
    for (const bad of ["milestone/a..b", "has space", "ends/", "x.lock", "a~1"]) {
      await expect(ensureBranch(repo, bad)).rejects.toThrow(/not a valid branch name/);
    }
  });
});
