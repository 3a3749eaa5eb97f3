// Our .gitignore matching against `git check-ignore` on the same tree: git is the oracle.
import { describe, expect, it } from "vitest";
import { isIgnored, parseIgnore } from "../../src/git/ignore-rules.ts";
import { git, makeRepo } from "./temp-repo.ts";

const ROOT = ["*.log", "!keep.log", "/top-only.txt", "build/", "docs/**/draft-*.md", "a/**/z", "**/cache", "\\#hash", "space\\ ", "[abc]x.txt", "nested/deeper/"].join("\n");
const SUB = ["local.txt", "/anchored.txt", "!*.log"].join("\n");

// Paths to classify; a trailing slash marks a directory.
const PATHS = [
  "x.log", "keep.log", "sub/x.log", "sub/keep.log", "top-only.txt", "sub/top-only.txt", "build/", "sub/build/", "build",
  "docs/draft-1.md", "docs/a/b/draft-2.md", "docs/final.md", "a/z", "a/b/c/z", "b/z", "cache/", "x/y/cache/", "#hash",
  "space ", "ax.txt", "dx.txt", "sub/local.txt", "sub/deep/local.txt", "sub/anchored.txt", "sub/deep/anchored.txt",
  "nested/deeper/", "nested/deeper", "other/nested/deeper/",
];

describe("isIgnored", () => {
  it("agrees with git check-ignore", () => {
    const dir = makeRepo({ ".gitignore": `${ROOT}\n`, "sub/.gitignore": `${SUB}\n` });
    const rules = [...parseIgnore(ROOT, ""), ...parseIgnore(SUB, "sub")];
    const checked = git(dir, ["check-ignore", "--no-index", ...PATHS], { allowFailure: true }).split("\n");
    for (const p of PATHS) {
      const isDir = p.endsWith("/");
      const ours = isIgnored(rules, isDir ? p.slice(0, -1) : p, isDir);
      expect({ path: p, ignored: ours }).toEqual({ path: p, ignored: checked.includes(p) });
    }
  });
});
