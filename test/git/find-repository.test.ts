// findRepository: the work tree above a project directory, or null.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findRepository } from "../../src/git/find-repository.ts";
import { git, makeRepo } from "./temp-repo.ts";

const extra: string[] = [];
afterEach(() => extra.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "mm-find-repo-")));
  extra.push(dir);
  return dir;
};

describe("findRepository", () => {
  it("walks up from a subdirectory to the work tree root", async () => {
    const dir = makeRepo({ "packages/app/src/x.ts": "x\n" });
    expect(await findRepository(path.join(dir, "packages/app/src"))).toEqual({ dir, gitdir: path.join(dir, ".git"), worktreeGitdir: path.join(dir, ".git") });
  });

  it("returns null outside any work tree and for a bare repository", async () => {
    const plain = tempDir();
    expect(await findRepository(plain)).toBeNull();
    git(plain, ["init", "-q", "--bare", "bare.git"]);
    expect(await findRepository(path.join(plain, "bare.git"))).toBeNull();
  });

  it("follows a .git file to a separate git directory", async () => {
    const root = tempDir();
    git(root, ["init", "-q", "--separate-git-dir", path.join(root, "store.git"), "work"]);
    expect(await findRepository(path.join(root, "work"))).toEqual({ dir: path.join(root, "work"), gitdir: path.join(root, "store.git"), worktreeGitdir: path.join(root, "store.git") });
  });

  it("finds a linked work tree (git worktree add), with the repository's shared git directory", async () => {
    const dir = makeRepo();
    const linked = path.join(dir, "..", `${path.basename(dir)}-wt`);
    git(dir, ["worktree", "add", "-q", linked]);
    extra.push(linked);
    expect(await findRepository(linked)).toEqual({ dir: linked, gitdir: path.join(dir, ".git"), worktreeGitdir: path.join(dir, ".git/worktrees", path.basename(linked)) });
  });
});
