// The trees we hash in memory are the ones `git write-tree` writes, including where git's tree
// order differs from plain name order, and reusing earlier trees gives the same oids.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashTrees } from "../../src/git/hash-trees.ts";
import { parseIndex } from "../../src/git/index-format.ts";
import { git, makeRepo, writeFiles } from "./temp-repo.ts";

// "a-b" < "a.b" < "a/…" < "a0" in git's order: a directory sorts as if its name ended in "/".
const TRICKY = { "a-b": "1\n", "a.b": "2\n", "a/x": "3\n", "a/y/z": "4\n", a0: "5\n", "ü/ß.txt": "6\n", "run.sh": "#!/bin/sh\n" };
const stageZero = (dir: string) => parseIndex(fs.readFileSync(path.join(dir, ".git/index"))).filter((e) => e.stage === 0);

describe("hashTrees", () => {
  it("computes the root tree git write-tree writes", () => {
    const dir = makeRepo(TRICKY);
    fs.chmodSync(path.join(dir, "run.sh"), 0o755);
    git(dir, ["add", "-A"]);
    const trees = hashTrees(stageZero(dir));
    expect(trees.root).toBe(git(dir, ["write-tree"]));
    expect(trees.dirs.get("a/y")!.oid).toBe(git(dir, ["rev-parse", `${trees.root}:a/y`]));
  });

  it("gives the same trees when it reuses those of the previous index", () => {
    const dir = makeRepo(TRICKY);
    const before = hashTrees(stageZero(dir));
    writeFiles(dir, { "a/y/z": "changed\n", "a/new/n": "n\n" });
    fs.rmSync(path.join(dir, "a-b"));
    git(dir, ["add", "-A"]);
    const reused = hashTrees(stageZero(dir), { trees: before, changedPaths: ["a/y/z", "a/new/n", "a-b"] });
    expect(reused.root).toBe(git(dir, ["write-tree"]));
    expect(reused.root).toBe(hashTrees(stageZero(dir)).root);
  });
});
