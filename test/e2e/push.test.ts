// Pushing the milestone branch through the CLI, against git's own http-backend on 127.0.0.1 with
// Basic auth: the credentials come only from the environment and are written nowhere; a rejected
// push blocks the milestone and `resume` pushes again without re-running a task.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readEvents, runCli, type CliResult } from "../helpers/cli.ts";
import { eventsOf } from "../helpers/event-checks.ts";
import { git, makeGitProject } from "../helpers/git-cli.ts";
import { initBareRepo, startGitHttpServer, type GitHttpServer } from "../helpers/git-http-server.ts";

const USER = "alice";
const PASSWORD = "pw-Xk47-do-not-leak";
const CREDS = { MILESTONE_GIT_USERNAME: USER, MILESTONE_GIT_PASSWORD: PASSWORD };
const BRANCH = "milestone/m";

const MILESTONE = [
  "id: m",
  "title: Two files",
  "tasks:",
  "  - id: first",
  "    title: Write first",
  "    run: echo one > first.txt",
  "  - id: second",
  "    title: Write second",
  "    run: echo two > second.txt",
  "    dependencies: [first]",
  "",
].join("\n");

let tmp: string;
let bare: string;
let server: GitHttpServer;

beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mm-e2e-push-"));
  const root = path.join(tmp, "srv");
  fs.mkdirSync(root);
  bare = initBareRepo(root, "project.git");
  server = await startGitHttpServer({ root, auth: { username: USER, password: PASSWORD } });
});

afterEach(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// A project on `main` whose origin is the test server (no credentials in the URL).
function makeProjectWithOrigin(extra: Record<string, string> = {}): string {
  const project = makeGitProject({ ".milestones/active/m.yaml": MILESTONE, ...extra });
  git(project, ["remote", "add", "origin", server.url("project.git")]);
  return project;
}

// The git CLI for commands that talk to the server: it runs in this process, so a blocking
// spawn would deadlock against it. No user or system config, never a prompt.
async function gitOverHttp(cwd: string, ...args: string[]): Promise<void> {
  await promisify(execFile)("git", args, {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: tmp,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "Other",
      GIT_AUTHOR_EMAIL: "other@example.test",
      GIT_COMMITTER_NAME: "Other",
      GIT_COMMITTER_EMAIL: "other@example.test",
    },
  });
}

// The server's URL with the right credentials in it, for the "other developer" clone only.
const authedUrl = () => server.url("project.git").replace("http://", `http://${USER}:${PASSWORD}@`);

const bareGit = (...args: string[]) => execFileSync("git", ["--git-dir", bare, ...args], { encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } }).trim();
// The remote's branch tip, "" while the branch does not exist there.
const remoteTip = () => bareGit("for-each-ref", "--format=%(objectname)", `refs/heads/${BRANCH}`);
const localTip = (project: string) => git(project, ["rev-parse", BRANCH]);

const milestoneFile = (project: string, place: "active" | "completed") =>
  parse(fs.readFileSync(path.join(project, `.milestones/${place}/m.yaml`), "utf8"));

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

// Every file under .milestones/ (and the repository's config) whose bytes hold the secret in any
// form a leak would take: plain, URL-encoded, or inside a Basic authorization header.
function filesHolding(project: string, secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), Buffer.from(`${USER}:${secret}`).toString("base64")];
  const files = [...filesUnder(path.join(project, ".milestones")), path.join(project, ".git/config")];
  return files.filter((f) => {
    const text = fs.readFileSync(f, "latin1");
    return forms.some((s) => text.includes(s));
  });
}

function expectNoSecretIn(project: string, runs: CliResult[], secret: string): void {
  expect(filesHolding(project, secret)).toEqual([]);
  for (const r of runs) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
}

// The remote's milestone/m gets a commit this project lacks, pushed by another clone over HTTP.
async function pushDivergingCommit(project: string): Promise<string> {
  await gitOverHttp(project, "push", "--quiet", authedUrl(), "main");
  const other = path.join(tmp, "other");
  await gitOverHttp(tmp, "clone", "--quiet", authedUrl(), other);
  git(other, ["checkout", "-q", "-b", BRANCH]);
  fs.writeFileSync(path.join(other, "theirs.txt"), "their change\n");
  git(other, ["add", "theirs.txt"]);
  await gitOverHttp(other, "commit", "--quiet", "-m", "their change");
  await gitOverHttp(other, "push", "--quiet", "origin", BRANCH);
  return remoteTip();
}

describe("execute with push", () => {
  it("--push with credentials from the environment puts milestone/m on the remote at the local tip", async () => {
    const project = makeProjectWithOrigin();
    const r = await runCli(["execute", "m", "--push", "--cwd", project], { env: CREDS });
    expect(r.code, r.stderr).toBe(0);

    const tip = localTip(project);
    expect(bareGit("rev-parse", BRANCH)).toBe(tip);
    expect(git(project, ["log", "--format=%(trailers:key=Task,valueonly)", `main..${tip}`]).split("\n").filter(Boolean)).toEqual(["second", "first"]);
    expect(bareGit("fsck", "--strict", "--no-progress")).toBe("");
    const pushed = eventsOf(readEvents(project, "m"), "branch_pushed");
    expect(pushed).toEqual([expect.objectContaining({ data: { remote: "origin", branch: BRANCH, sha: tip } })]);
    // The server asked, and the credentials answered.
    expect(server.requests.some((q) => q.method === "POST" && q.authorization)).toBe(true);
    expect(milestoneFile(project, "completed").status).toBe("completed");
    expectNoSecretIn(project, [r], PASSWORD);
  });

  it("git.push: true in config.yaml pushes without the flag", async () => {
    const project = makeProjectWithOrigin({ ".milestones/config.yaml": "git:\n  push: true\n" });
    const r = await runCli(["execute", "m", "--cwd", project], { env: CREDS });
    expect(r.code, r.stderr).toBe(0);

    const tip = localTip(project);
    expect(bareGit("rev-parse", BRANCH)).toBe(tip);
    expect(bareGit("fsck", "--strict", "--no-progress")).toBe("");
    expect(eventsOf(readEvents(project, "m"), "branch_pushed")).toEqual([expect.objectContaining({ data: { remote: "origin", branch: BRANCH, sha: tip } })]);
    expectNoSecretIn(project, [r], PASSWORD);
  });

  it("--push to a remote that is a bare repository's path puts milestone/m there, with no credentials", async () => {
    const project = makeGitProject({ ".milestones/active/m.yaml": MILESTONE });
    git(project, ["remote", "add", "origin", bare]);
    const r = await runCli(["execute", "m", "--push", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);

    const tip = localTip(project);
    expect(bareGit("rev-parse", BRANCH)).toBe(tip);
    expect(bareGit("fsck", "--strict", "--no-progress")).toBe("");
    expect(eventsOf(readEvents(project, "m"), "branch_pushed")).toEqual([expect.objectContaining({ data: { remote: "origin", branch: BRANCH, sha: tip } })]);
    expect(milestoneFile(project, "completed").status).toBe("completed");
  });

  it("without --push or git.push nothing reaches the remote", async () => {
    const project = makeProjectWithOrigin();
    const r = await runCli(["execute", "m", "--cwd", project], { env: CREDS });
    expect(r.code, r.stderr).toBe(0);
    expect(remoteTip()).toBe("");
    expect(server.requests).toEqual([]);
    expect(eventsOf(readEvents(project, "m"), "branch_pushed")).toEqual([]);
  });
});

describe("a push that fails", () => {
  it("a rejected push blocks with push_failed (exit 3); once the remote accepts, resume pushes without re-running a task", async () => {
    const project = makeProjectWithOrigin({ ".milestones/config.yaml": "git:\n  push: true\n" });
    const theirs = await pushDivergingCommit(project);

    const r = await runCli(["execute", "m", "--cwd", project], { env: CREDS });
    expect(r.code, r.stderr).toBe(3);
    const blocked = milestoneFile(project, "active");
    expect(blocked.status).toBe("blocked");
    expect(blocked.blockers).toEqual([expect.objectContaining({ type: "push_failed", detail: expect.stringContaining(BRANCH) })]);
    expect(r.stderr).toContain("push_failed");
    expect(r.stderr).toContain("milestone-machine resume m");
    expect(remoteTip()).toBe(theirs);
    expect(fs.existsSync(path.join(project, ".milestones/completed/m.yaml"))).toBe(false);

    bareGit("update-ref", "-d", `refs/heads/${BRANCH}`);
    const resumed = await runCli(["resume", "m", "--cwd", project], { env: CREDS });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(milestoneFile(project, "completed").status).toBe("completed");
    expect(fs.existsSync(path.join(project, ".milestones/active/m.yaml"))).toBe(false);
    expect(remoteTip()).toBe(localTip(project));
    // Their commit is dangling now that its branch is gone; that is not damage.
    expect(bareGit("fsck", "--strict", "--no-progress", "--no-dangling")).toBe("");

    const events = readEvents(project, "m");
    expect(eventsOf(events, "blocker_cleared")).toEqual([expect.objectContaining({ data: expect.objectContaining({ type: "push_failed" }) })]);
    expect(eventsOf(events, "branch_pushed")).toEqual([expect.objectContaining({ data: { remote: "origin", branch: BRANCH, sha: localTip(project) } })]);
    for (const task of ["first", "second"]) expect(eventsOf(events, "task_started", task)).toHaveLength(1);
    expectNoSecretIn(project, [r, resumed], PASSWORD);
  });

  it("a push blocked under --push is pushed by the plain 'resume m' the message asks for", async () => {
    const project = makeProjectWithOrigin();
    await pushDivergingCommit(project);

    const r = await runCli(["execute", "m", "--push", "--cwd", project], { env: CREDS });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain("then continue with 'milestone-machine resume m'");

    bareGit("update-ref", "-d", `refs/heads/${BRANCH}`);
    const resumed = await runCli(["resume", "m", "--cwd", project], { env: CREDS });
    expect(resumed.code, resumed.stderr).toBe(0);
    // Completing without pushing would leave the branch the user asked for off the remote.
    expect(remoteTip()).toBe(localTip(project));
  });

  it("a wrong password blocks with push_failed naming MILESTONE_GIT_PASSWORD, never its value", async () => {
    const wrong = "wrong-pw-Qm93-secret";
    const project = makeProjectWithOrigin();
    const r = await runCli(["execute", "m", "--push", "--cwd", project], { env: { MILESTONE_GIT_USERNAME: USER, MILESTONE_GIT_PASSWORD: wrong } });
    expect(r.code, r.stderr).toBe(3);

    const blocked = milestoneFile(project, "active");
    expect(blocked.status).toBe("blocked");
    expect(blocked.blockers).toEqual([expect.objectContaining({ type: "push_failed" })]);
    expect(remoteTip()).toBe("");
    expectNoSecretIn(project, [r], wrong);
    expect(r.stderr).toContain("MILESTONE_GIT_PASSWORD");
    const [detected] = eventsOf(readEvents(project, "m"), "blocker_detected");
    expect(`${detected.data.detail} ${detected.data.fix}`).toContain("MILESTONE_GIT_PASSWORD");
    // The file is what `status m` shows once the run has exited: it must say what to correct.
    const [blocker] = blocked.blockers;
    expect(`${blocker.detail} ${blocker.fix}`).toContain("MILESTONE_GIT_PASSWORD");
  });
});
