// findTaskCommit reads the milestone's own stretch of the branch: from the tip back to the first
// commit without the milestone's trailer, and notices commits made after its last look.
import { describe, expect, it } from "vitest";
import { findTaskCommit, readTrailers } from "../../src/git/find-task-commit.ts";
import { git, makeRepo, repoAt, writeFiles } from "./temp-repo.ts";

const trailerCommit = (dir: string, file: string, task: string, milestone: string) => {
  writeFiles(dir, { [file]: `${file}\n` });
  git(dir, ["add", file]);
  git(dir, ["commit", "-q", "-m", `work on ${task}`, "-m", `Task: ${task}\nMilestone: ${milestone}`]);
  return git(dir, ["rev-parse", "HEAD"]);
};

describe("findTaskCommit", () => {
  it("finds a task's commit on the branch and null for tasks without one", async () => {
    const dir = makeRepo();
    const repo = await repoAt(dir);
    const sha = trailerCommit(dir, "a.txt", "a", "m");
    expect(await findTaskCommit(repo, sha, "m", "a")).toBe(sha);
    expect(await findTaskCommit(repo, sha, "m", "b")).toBeNull();
    expect(await findTaskCommit(repo, sha, "other", "a")).toBeNull();
  });

  it("sees commits made by someone else after its last look (the cache follows the tip)", async () => {
    const dir = makeRepo();
    git(dir, ["switch", "-q", "-c", "milestone/m"]);
    const repo = await repoAt(dir);
    const first = trailerCommit(dir, "one.txt", "one", "m");
    expect(await findTaskCommit(repo, git(dir, ["rev-parse", "HEAD"]), "m", "one")).toBe(first);
    expect(await findTaskCommit(repo, git(dir, ["rev-parse", "HEAD"]), "m", "two")).toBeNull();
    const second = trailerCommit(dir, "two.txt", "two", "m");
    expect(await findTaskCommit(repo, git(dir, ["rev-parse", "HEAD"]), "m", "two")).toBe(second);
    expect(await findTaskCommit(repo, git(dir, ["rev-parse", "HEAD"]), "m", "one")).toBe(first);
  });

  it("stops at the first commit without the milestone's trailer: where the branch started", async () => {
    const dir = makeRepo();
    // An old commit for the same milestone and task id, below the branch's base.
    trailerCommit(dir, "ancient.txt", "t1", "m");
    writeFiles(dir, { "base.txt": "base\n" });
    git(dir, ["add", "base.txt"]);
    git(dir, ["commit", "-q", "-m", "ordinary commit"]);
    git(dir, ["switch", "-q", "-c", "milestone/m"]);
    const repo = await repoAt(dir);
    expect(await findTaskCommit(repo, git(dir, ["rev-parse", "HEAD"]), "m", "t1")).toBeNull();
    const mine = trailerCommit(dir, "new.txt", "t1", "m");
    expect(await findTaskCommit(repo, git(dir, ["rev-parse", "HEAD"]), "m", "t1")).toBe(mine);
  });

  it("reads trailers from the last paragraph only", () => {
    expect(readTrailers("subject\n\nTask: x in body\n\nTask: t1\nMilestone: m\n")).toEqual(new Map([["Task", "t1"], ["Milestone", "m"]]));
  });
});
