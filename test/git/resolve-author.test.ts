// resolveAuthor: git.author from the config wins, then git's own settings; none is a GitError that
// says how to set one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GitError } from "../../src/git/git-error.ts";
import { resolveAuthor } from "../../src/git/resolve-author.ts";
import { git, makeRepo, repoAt } from "./temp-repo.ts";

let home: string;
beforeEach(() => {
  // An empty home: the machine's own ~/.gitconfig must not leak into these tests.
  home = fs.mkdtempSync(path.join(os.tmpdir(), "mm-author-home-"));
  vi.stubEnv("HOME", home);
  vi.stubEnv("XDG_CONFIG_HOME", path.join(home, ".config"));
  vi.stubEnv("GIT_AUTHOR_NAME", "");
  vi.stubEnv("GIT_AUTHOR_EMAIL", "");
});
afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(home, { recursive: true, force: true });
});

describe("resolveAuthor", () => {
  it("prefers the configured git.author", async () => {
    const repo = await repoAt(makeRepo());
    expect(await resolveAuthor(repo, { name: "Configured", email: "c@example.test" })).toEqual({ name: "Configured", email: "c@example.test" });
  });

  it("reads user.name and user.email from the repository's config", async () => {
    const repo = await repoAt(makeRepo());
    expect(await resolveAuthor(repo)).toEqual({ name: "Repo Owner", email: "owner@example.test" });
  });

  it("falls back to ~/.gitconfig, then $XDG_CONFIG_HOME/git/config, which isomorphic-git does not read", async () => {
    const dir = makeRepo();
    git(dir, ["config", "--unset", "user.name"]);
    git(dir, ["config", "--unset", "user.email"]);
    fs.mkdirSync(path.join(home, ".config/git"), { recursive: true });
    fs.writeFileSync(path.join(home, ".config/git/config"), "[user]\n\tname = Xdg Person\n\temail = xdg@example.test\n");
    const repo = await repoAt(dir);
    expect(await resolveAuthor(repo)).toEqual({ name: "Xdg Person", email: "xdg@example.test" });
    fs.writeFileSync(path.join(home, ".gitconfig"), '[User]\n  Name = "Home Person" # comment\n  email = home@example.test\n');
    expect(await resolveAuthor(repo)).toEqual({ name: "Home Person", email: "home@example.test" });
  });

  it("throws a GitError naming both ways to set an author when there is none", async () => {
    const dir = makeRepo();
    git(dir, ["config", "--unset", "user.email"]);
    const error = await resolveAuthor(await repoAt(dir)).catch((e) => e);
    expect(error).toBeInstanceOf(GitError);
    expect(error.code).toBe("no_author");
    expect(error.message).toMatch(/user\.email is not set/);
    expect(error.hint).toMatch(/git config user\.name/);
    expect(error.hint).toMatch(/git\.author/);
  });
});
