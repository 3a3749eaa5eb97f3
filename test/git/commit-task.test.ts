// commitTask on real repositories, checked with the git CLI: one commit per task holding exactly
// the task's files, trailers git can read, an index git accepts, and no second commit on a re-run.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { commitTask, type CommitTaskInput } from "../../src/git/commit-task.ts";
import { ensureBranch } from "../../src/git/ensure-branch.ts";
import { GitError } from "../../src/git/git-error.ts";
import { author, commitCount, filesOf, fsck, git, makeRepo, repoAt, status, writeFiles } from "./temp-repo.ts";

const BRANCH = "milestone/m1";

async function onBranch(dir: string) {
  const repo = await repoAt(dir);
  await ensureBranch(repo, BRANCH);
  const task = (taskId: string, extra: Partial<CommitTaskInput> = {}) =>
    commitTask(repo, { milestoneId: "m1", taskId, title: `do ${taskId}`, projectDir: dir, author, branch: BRANCH, ...extra });
  return { repo, task };
}

describe("commitTask", () => {
  it("commits eight tasks as eight commits, each holding exactly its own file, with trailers git reads", async () => {
    const dir = makeRepo();
    const { task } = await onBranch(dir);
    const shas: string[] = [];
    for (let i = 1; i <= 8; i++) {
      writeFiles(dir, { [`src/task-${i}.ts`]: `export const n = ${i};\n` });
      const result = await task(`t${i}`, { paths: [`src/task-${i}.ts`] });
      expect(result).toMatchObject({ existing: false, files: [`src/task-${i}.ts`] });
      shas.push(result.sha!);
    }
    expect(git(dir, ["rev-list", "--reverse", `main..${BRANCH}`]).split("\n")).toEqual(shas);
    shas.forEach((sha, i) => expect(filesOf(dir, sha)).toEqual([`src/task-${i + 1}.ts`]));
    const raw = git(dir, ["cat-file", "commit", shas[7]]);
    expect(raw.slice(raw.indexOf("\n\n") + 2)).toBe("feat(milestone-m1): Complete task: do t8\n\nTask: t8\nMilestone: m1");
    expect(git(dir, ["log", "--format=%(trailers:key=Task,valueonly)", `main..${BRANCH}`]).split("\n").filter(Boolean)).toEqual(
      ["t8", "t7", "t6", "t5", "t4", "t3", "t2", "t1"],
    );
    expect(git(dir, ["log", "-1", "--format=%an <%ae>", shas[0]])).toBe(`${author.name} <${author.email}>`);
    fsck(dir);
    expect(status(dir)).toBe("");
    expect(git(dir, ["diff", "--cached", "--name-only"])).toBe("");
  });

  it("returns the existing commit instead of committing a task twice", async () => {
    const dir = makeRepo();
    const { task } = await onBranch(dir);
    writeFiles(dir, { "a.txt": "a\n" });
    const first = await task("t1");
    writeFiles(dir, { "b.txt": "b\n" });
    const again = await task("t1");
    expect(again).toEqual({ sha: first.sha, files: [], existing: true });
    expect(commitCount(dir)).toBe(2);
    expect(status(dir)).toBe("?? b.txt");
  });

  it("returns sha null and commits nothing when nothing changed", async () => {
    const dir = makeRepo();
    const { task } = await onBranch(dir);
    // Same content, new mtime: a stat change alone is not a change.
    fs.writeFileSync(path.join(dir, "README.md"), "hello\n");
    expect(await task("t1")).toEqual({ sha: null, files: [], existing: false });
    expect(commitCount(dir)).toBe(1);
    expect(status(dir)).toBe("");
  });

  it("commits deletions and new files in subdirectories, but not ignored files", async () => {
    const dir = makeRepo({ "README.md": "hello\n", "old/gone.txt": "bye\n", ".gitignore": "*.log\nbuild/\n", "deep/.gitignore": "secret.txt\n" });
    fs.writeFileSync(path.join(dir, ".git/info/exclude"), "local-only/\n");
    const { task } = await onBranch(dir);
    fs.rmSync(path.join(dir, "old"), { recursive: true });
    writeFiles(dir, {
      "deep/er/new.txt": "new\n", "deep/secret.txt": "s\n", "deep/er/keep.log": "l\n",
      "build/out.js": "o\n", "local-only/x.txt": "x\n",
    });
    const result = await task("t1");
    expect(result.files).toEqual(["deep/er/new.txt", "old/gone.txt"]);
    expect(filesOf(dir, result.sha!)).toEqual(["deep/er/new.txt", "old/gone.txt"]);
    expect(status(dir)).toBe("");
    expect(git(dir, ["status", "--porcelain", "--ignored"]).split("\n").sort()).toEqual(
      ["!! build/", "!! deep/er/keep.log", "!! deep/secret.txt", "!! local-only/"],
    );
    fsck(dir);
  });

  it("limits the commit to the task's path globs and leaves other changes uncommitted", async () => {
    const dir = makeRepo({ "src/a.ts": "a\n", "src/deep/b.ts": "b\n", "docs/x.md": "x\n", "other.txt": "o\n" });
    const { task } = await onBranch(dir);
    writeFiles(dir, { "src/a.ts": "a2\n", "src/deep/b.ts": "b2\n", "src/deep/c.css": "c\n", "docs/x.md": "x2\n", "other.txt": "o2\n", "docs/new/y.md": "y\n" });
    const first = await task("t1", { paths: ["src/**/*.ts", "docs/new/"] });
    expect(filesOf(dir, first.sha!)).toEqual(["docs/new/y.md", "src/a.ts", "src/deep/b.ts"]);
    expect(status(dir).split("\n").sort()).toEqual([" M docs/x.md", " M other.txt", "?? src/deep/c.css"]);
    const rest = await task("t2");
    expect(filesOf(dir, rest.sha!)).toEqual(["docs/x.md", "other.txt", "src/deep/c.css"]);
    expect(status(dir)).toBe("");
    fsck(dir);
  });

  it("reads paths relative to a project directory below the work tree root", async () => {
    const dir = makeRepo({ "README.md": "r\n", "packages/app/src/main.ts": "m\n" });
    const repo = await repoAt(path.join(dir, "packages/app"));
    expect(repo.dir).toBe(dir);
    await ensureBranch(repo, BRANCH);
    writeFiles(dir, { "README.md": "r2\n", "packages/app/src/main.ts": "m2\n", "packages/app/notes.md": "n\n" });
    const input = { milestoneId: "m1", taskId: "t1", title: "app", projectDir: path.join(dir, "packages/app"), author, branch: BRANCH };
    const result = await commitTask(repo, { ...input, paths: ["src/**"] });
    expect(filesOf(dir, result.sha!)).toEqual(["packages/app/src/main.ts"]);
    await expect(commitTask(repo, { ...input, taskId: "t2", paths: ["../../../etc/passwd"] })).rejects.toMatchObject({ code: "bad_path" });
  });

  it("keeps changes someone staged outside the task's paths out of the task's commit", async () => {
    const dir = makeRepo({ "a.txt": "a\n", "b.txt": "b\n" });
    const { task } = await onBranch(dir);
    writeFiles(dir, { "a.txt": "a2\n", "b.txt": "b2\n" });
    git(dir, ["add", "b.txt"]);
    const result = await task("t1", { paths: ["a.txt"] });
    expect(filesOf(dir, result.sha!)).toEqual(["a.txt"]);
    expect(status(dir)).toBe("M  b.txt");
    // Without paths the staged change is part of "everything".
    expect(filesOf(dir, (await task("t2")).sha!)).toEqual(["b.txt"]);
    expect(status(dir)).toBe("");
  });

  it("records executable files and symlinks with git's modes", async () => {
    const dir = makeRepo();
    const { task } = await onBranch(dir);
    writeFiles(dir, { "bin/run.sh": "#!/bin/sh\necho hi\n" });
    fs.chmodSync(path.join(dir, "bin/run.sh"), 0o755);
    fs.symlinkSync("run.sh", path.join(dir, "bin/run"));
    const { sha } = await task("t1");
    expect(git(dir, ["ls-tree", "-r", sha!, "bin"]).split("\n").map((l) => l.split(/\s+/)[0])).toEqual(["120000", "100755"]);
    expect(git(dir, ["cat-file", "-p", `${sha}:bin/run`])).toBe("run.sh");
    expect(status(dir)).toBe("");
  });

  it("sees a same-size rewrite that keeps the file's mtime (racily clean entries)", async () => {
    const dir = makeRepo({ "counter.txt": "0000\n" });
    const { task } = await onBranch(dir);
    // Every version gets the same mtime, as rewrites within one timestamp tick do: only git's
    // racy-clean rule (entries not older than the index are re-hashed) can tell them apart.
    const tick = new Date(Date.now() + 60_000);
    for (let i = 1; i <= 4; i++) {
      fs.writeFileSync(path.join(dir, "counter.txt"), `${String(i).padStart(4, "0")}\n`);
      fs.utimesSync(path.join(dir, "counter.txt"), tick, tick);
      const { sha } = await task(`t${i}`);
      expect(sha).not.toBeNull();
      expect(git(dir, ["show", `${sha}:counter.txt`])).toBe(String(i).padStart(4, "0"));
    }
    expect(status(dir)).toBe("");
  });

  it("picks up an index another git command rewrote in between", async () => {
    const dir = makeRepo();
    const { task } = await onBranch(dir);
    writeFiles(dir, { "one.txt": "1\n" });
    await task("t1");
    writeFiles(dir, { "two.txt": "2\n" });
    git(dir, ["add", "two.txt"]);
    git(dir, ["rm", "-q", "--cached", "one.txt"]);
    const result = await task("t2");
    // The CLI's index says one.txt is untracked again: committing "everything" re-adds it.
    expect(result.files).toEqual(["two.txt"]);
    expect(status(dir)).toBe("");
    fsck(dir);
  });

  it("commits in a repository whose objects and refs git has packed", async () => {
    const dir = makeRepo({ "lib/deep/a.ts": "a\n", "lib/b.ts": "b\n" });
    git(dir, ["gc", "-q"]);
    expect(fs.existsSync(path.join(dir, ".git/packed-refs"))).toBe(true);
    const { task } = await onBranch(dir);
    writeFiles(dir, { "lib/deep/a.ts": "a2\n", "lib/deep/c.ts": "c\n" });
    const { sha } = await task("t1");
    expect(filesOf(dir, sha!)).toEqual(["lib/deep/a.ts", "lib/deep/c.ts"]);
    expect(git(dir, ["rev-parse", `${sha}^`])).toBe(git(dir, ["rev-parse", "main"]));
    expect(status(dir)).toBe("");
    fsck(dir);
  });

  it("stamps author and committer with the local time zone, minutes included", async () => {
    vi.stubEnv("TZ", "Asia/Kolkata");
    try {
      const dir = makeRepo();
      const { task } = await onBranch(dir);
      writeFiles(dir, { "a.txt": "a\n" });
      const before = Math.floor(Date.now() / 1000);
      const { sha } = await task("t1");
      const [authorDate, committerDate, unix] = git(dir, ["log", "-1", "--format=%ai|%ci|%at", sha!]).split("|");
      expect(authorDate).toMatch(/ \+0530$/);
      expect(committerDate).toBe(authorDate);
      expect(Number(unix) - before).toBeLessThanOrEqual(2);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("refuses to commit to a branch HEAD is not on", async () => {
    const dir = makeRepo();
    const { task } = await onBranch(dir);
    git(dir, ["switch", "-q", "main"]);
    writeFiles(dir, { "a.txt": "a\n" });
    const error = await task("t1").catch((e) => e);
    expect(error).toBeInstanceOf(GitError);
    expect(error).toMatchObject({ code: "wrong_branch" });
    expect(commitCount(dir, BRANCH)).toBe(1);
  });
});
