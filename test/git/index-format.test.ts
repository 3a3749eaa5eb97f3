// Our reading and writing of .git/index against files the git CLI wrote and reads back.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseIndex, serializeIndex } from "../../src/git/index-format.ts";
import { git, makeRepo } from "./temp-repo.ts";

const files = { "a.txt": "a\n", "dir/b.txt": "b\n", "dir/sub/c.txt": "c\n", "é-utf8.txt": "é\n", "z.txt": "z\n" };
const read = (dir: string) => parseIndex(fs.readFileSync(path.join(dir, ".git/index")));

describe("index format", () => {
  it("writes back the exact bytes git wrote (version 2, no extensions)", () => {
    const dir = makeRepo(files);
    git(dir, ["update-index", "--index-version", "2"]);
    const bytes = fs.readFileSync(path.join(dir, ".git/index"));
    const entries = parseIndex(bytes);
    expect(entries.map((e) => e.path)).toEqual(["a.txt", "dir/b.txt", "dir/sub/c.txt", "z.txt", "é-utf8.txt"]);
    expect(entries[0]).toMatchObject({ oid: git(dir, ["rev-parse", "HEAD:a.txt"]), mode: 0o100644, stage: 0, size: 2 });
    // Re-encoded from the parsed fields, not copied: a fresh object per entry.
    const rebuilt = serializeIndex(entries.map((e) => ({ ...e })));
    expect(rebuilt.subarray(0, rebuilt.length - 20)).toEqual(bytes.subarray(0, rebuilt.length - 20));
  });

  it("reads version 4 (prefix-compressed paths) and version 3 (extended flags) like version 2", () => {
    const dir = makeRepo(files);
    const v2 = read(dir);
    git(dir, ["update-index", "--index-version", "4"]);
    expect(read(dir)).toEqual(v2);
    git(dir, ["update-index", "--skip-worktree", "dir/b.txt"]);
    const v3 = read(dir);
    expect(v3.find((e) => e.path === "dir/b.txt")!.extFlags).toBe(0x4000);
    // What we write from it, git reads: the flag survives and nothing looks changed.
    fs.writeFileSync(path.join(dir, ".git/index"), serializeIndex(v3.map((e) => ({ ...e }))));
    expect(git(dir, ["ls-files", "-t", "dir/b.txt"])).toBe("S dir/b.txt");
    expect(git(dir, ["status", "--porcelain"])).toBe("");
  });

  it("refuses a split index, whose entries live partly in another file", () => {
    const dir = makeRepo(files);
    git(dir, ["update-index", "--split-index"]);
    expect(() => read(dir)).toThrow(/split or sparse index/);
  });
});
