// pushBranch against real remotes: git's own http-backend on 127.0.0.1, a bare repository by path
// and file:// URL, and sshd on loopback when it can start. Real repositories on both sides, so
// "accepted" and "rejected" are git's verdicts, not a mock's. HOME is a temp dir and system config
// is off, so the developer's git and ssh setup cannot change results.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { pushBranch, type PushResult } from "../../src/git/push-branch.ts";
import { redactSecrets, redactUrl } from "../../src/git/redact.ts";
import { initBareRepo, startGitHttpServer, type GitHttpServer } from "../helpers/git-http-server.ts";
import { startSshServer } from "../helpers/ssh-server.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DENO = path.join(REPO, "node_modules/.bin/deno");
const BRANCH = "milestone/x";
const USER = "alice";
const PASSWORD = "pw-Zq81-secret";

let tmp: string;
let local: string;
let bare: string;
let server: GitHttpServer | undefined;
const savedEnv = { ...process.env };

// The git CLI with no user or system config, so the developer's setup cannot change results.
const gitEnv = () => ({
  PATH: process.env.PATH,
  HOME: tmp,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_TERMINAL_PROMPT: "0",
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] }).trim();
}

// For git commands that talk to the server: it runs in this process, so a blocking call would
// deadlock against it.
async function gitOverHttp(cwd: string, ...args: string[]): Promise<void> {
  await promisify(execFile)("git", args, { cwd, env: gitEnv() });
}

function commitFile(cwd: string, name: string, content: string): string {
  fs.writeFileSync(path.join(cwd, name), content);
  git(cwd, "add", name);
  git(cwd, "commit", "--quiet", "-m", `write ${name}`);
  return git(cwd, "rev-parse", "HEAD");
}

const repo = () => ({ dir: local, gitdir: path.join(local, ".git"), worktreeGitdir: path.join(local, ".git") });
// The remote's branch tip, "" while the branch does not exist there.
const remoteTip = () => git(tmp, "--git-dir", bare, "for-each-ref", "--format=%(objectname)", `refs/heads/${BRANCH}`);
const push = (env: NodeJS.ProcessEnv = {}) => pushBranch(repo(), { remote: "origin", branch: BRANCH, env });

async function serve(
  auth?: { username: string; password: string },
  remoteUrl = (u: string) => u,
  onRequest?: Parameters<typeof startGitHttpServer>[0]["onRequest"],
): Promise<GitHttpServer> {
  server = await startGitHttpServer({ root: path.join(tmp, "srv"), auth, onRequest });
  git(local, "remote", "add", "origin", remoteUrl(server.url("project.git")));
  return server;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mm-push-"));
  local = path.join(tmp, "local");
  fs.mkdirSync(local);
  git(local, "init", "--quiet", "--initial-branch=main");
  commitFile(local, "README.md", "hello\n");
  git(local, "checkout", "--quiet", "-b", BRANCH);
  commitFile(local, "task-1.txt", "done\n");
  fs.mkdirSync(path.join(tmp, "srv"));
  bare = initBareRepo(path.join(tmp, "srv"), "project.git");
  // pushBranch runs git with this process's environment.
  process.env.HOME = tmp;
  process.env.GIT_CONFIG_NOSYSTEM = "1";
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("pushBranch over HTTP", () => {
  it("creates the branch on the remote at the local tip, and the remote repository is sound", async () => {
    const srv = await serve();
    const result = await push();
    const tip = git(local, "rev-parse", BRANCH);
    expect(result).toEqual({ ok: true, remote: "origin", url: srv.url("project.git"), branch: BRANCH, sha: tip });
    expect(remoteTip()).toBe(tip);
    expect(git(tmp, "--git-dir", bare, "fsck", "--strict", "--no-progress")).toBe("");
    expect(srv.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
  });

  it("fast-forwards the remote branch after another commit, and a repeated push is a no-op", async () => {
    await serve();
    expect((await push()).ok).toBe(true);
    const next = commitFile(local, "task-2.txt", "done too\n");
    expect(await push()).toMatchObject({ ok: true, sha: next });
    expect(remoteTip()).toBe(next);
    expect(await push()).toMatchObject({ ok: true, sha: next });
    expect(remoteTip()).toBe(next);
    expect(git(tmp, "--git-dir", bare, "fsck", "--strict", "--no-progress")).toBe("");
  });

  it("is rejected, changing neither side, when someone else pushed a diverging commit", async () => {
    const srv = await serve();
    expect((await push()).ok).toBe(true);
    // Another clone, made and pushed with the git CLI through the same server.
    const other = path.join(tmp, "other");
    await gitOverHttp(tmp, "clone", "--quiet", "--branch", BRANCH, srv.url("project.git"), other);
    const theirs = commitFile(other, "theirs.txt", "their change\n");
    await gitOverHttp(other, "push", "--quiet", "origin", BRANCH);
    expect(remoteTip()).toBe(theirs);

    const ours = commitFile(local, "ours.txt", "our change\n");
    const result = await push();
    expect(result).toMatchObject({ ok: false, reason: "rejected", branch: BRANCH });
    expect(result.ok === false && result.detail).toBe(
      `the remote's ${BRANCH} has commits this one lacks: fetch and merge them, then run resume again`,
    );
    expect(remoteTip()).toBe(theirs);
    expect(git(local, "rev-parse", BRANCH)).toBe(ours);
  });

  it("reports the remote's own refusal as rejected, with its reason", async () => {
    await serve();
    const hook = path.join(bare, "hooks/pre-receive");
    fs.writeFileSync(hook, "#!/bin/sh\necho 'milestone branches are frozen' >&2\nexit 1\n", { mode: 0o755 });
    const result = await push();
    expect(result).toMatchObject({ ok: false, reason: "rejected" });
    expect(result.ok === false && result.detail).toContain("pre-receive hook declined");
    expect(remoteTip()).toBe("");
  });
});

describe("pushBranch credentials", () => {
  const envCreds = { MILESTONE_GIT_USERNAME: USER, MILESTONE_GIT_PASSWORD: PASSWORD };

  it("answers the server's challenge with MILESTONE_GIT_USERNAME and MILESTONE_GIT_PASSWORD", async () => {
    const srv = await serve({ username: USER, password: PASSWORD });
    const result = await push(envCreds);
    expect(result.ok).toBe(true);
    expect(remoteTip()).toBe(git(local, "rev-parse", BRANCH));
    // Nothing is sent before the server asks.
    expect(srv.requests[0]).toMatchObject({ method: "GET", authorization: false });
    expect(srv.requests.slice(1).every((r) => r.authorization)).toBe(true);
  });

  it("sends MILESTONE_GIT_TOKEN as the password of x-access-token", async () => {
    await serve({ username: "x-access-token", password: PASSWORD });
    expect((await push({ MILESTONE_GIT_TOKEN: PASSWORD })).ok).toBe(true);
  });

  it("a wrong password is an auth failure that names the variables and shows no secret", async () => {
    const srv = await serve({ username: USER, password: PASSWORD });
    const wrong = "wrong-pw-7731";
    const result = await push({ MILESTONE_GIT_USERNAME: USER, MILESTONE_GIT_PASSWORD: wrong });
    expect(result).toMatchObject({ ok: false, reason: "auth" });
    expect(result.ok === false && result.detail).toContain("MILESTONE_GIT_PASSWORD");
    const json = JSON.stringify(result);
    expect(json).not.toContain(wrong);
    expect(json).not.toContain(`${USER}:${wrong}`);
    // One challenge, one retry with the credentials, then it gives up instead of looping.
    expect(srv.requests).toHaveLength(2);
    expect(remoteTip()).toBe("");
  });

  it("with no credentials at all, says which variables to set", async () => {
    await serve({ username: USER, password: PASSWORD });
    const result = await push();
    expect(result).toMatchObject({ ok: false, reason: "auth" });
    expect(result.ok === false && result.detail).toMatch(/MILESTONE_GIT_TOKEN.*MILESTONE_GIT_USERNAME and MILESTONE_GIT_PASSWORD/);
  });

  it("uses credentials embedded in the remote URL and reports the URL without them", async () => {
    const srv = await serve({ username: USER, password: PASSWORD }, (u) => u.replace("http://", `http://${USER}:${PASSWORD}@`));
    const result = await push();
    expect(result).toMatchObject({ ok: true, url: srv.url("project.git") });
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(remoteTip()).toBe(git(local, "rev-parse", BRANCH));
  });

  it("a wrong password embedded in the URL fails as auth without echoing it", async () => {
    const wrong = "url-wrong-pw-5521";
    const srv = await serve({ username: USER, password: PASSWORD }, (u) => u.replace("http://", `http://${USER}:${wrong}@`));
    const result = await push();
    expect(result).toMatchObject({ ok: false, reason: "auth", url: srv.url("project.git") });
    expect(JSON.stringify(result)).not.toContain(wrong);
  });
});

describe("pushBranch to a local bare repository", () => {
  it.each([
    ["a path", () => bare],
    ["a file:// URL", () => pathToFileURL(bare).href],
  ])("creates the branch at the local tip when the remote is %s, and the remote repository is sound", async (_name, url) => {
    git(local, "remote", "add", "origin", url());
    const tip = git(local, "rev-parse", BRANCH);
    expect(await push()).toEqual({ ok: true, remote: "origin", url: url(), branch: BRANCH, sha: tip });
    expect(remoteTip()).toBe(tip);
    expect(git(tmp, "--git-dir", bare, "fsck", "--strict", "--no-progress")).toBe("");
  });

  it("is rejected, changing neither side, when the remote's branch diverged", async () => {
    git(local, "remote", "add", "origin", bare);
    expect((await push()).ok).toBe(true);
    const other = path.join(tmp, "other");
    git(tmp, "clone", "--quiet", "--branch", BRANCH, bare, other);
    const theirs = commitFile(other, "theirs.txt", "their change\n");
    git(other, "push", "--quiet", "origin", BRANCH);

    const ours = commitFile(local, "ours.txt", "our change\n");
    const result = await push();
    expect(result).toMatchObject({ ok: false, reason: "rejected", branch: BRANCH });
    expect(result.ok === false && result.detail).toBe(`the remote's ${BRANCH} has commits this one lacks: fetch and merge them, then run resume again`);
    expect(remoteTip()).toBe(theirs);
    expect(git(local, "rev-parse", BRANCH)).toBe(ours);
    expect(git(local, "log", "--format=%H", BRANCH)).not.toContain(theirs);
  });

  it("a path that holds no repository is other, naming the URL", async () => {
    const missing = path.join(tmp, "nowhere.git");
    git(local, "remote", "add", "origin", missing);
    const result = await push();
    expect(result).toMatchObject({ ok: false, reason: "other", url: missing });
    expect(result.ok === false && result.detail).toContain(`${missing} has no git repository`);
  });
});

describe("pushBranch keeps credentials out of argv and files", () => {
  // Every form a leak could take: plain, URL-encoded, inside a Basic authorization header.
  const forms = [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(`${USER}:${PASSWORD}`).toString("base64")];
  const filesUnder = (dir: string): string[] =>
    fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

  // The command line of every process on the machine, read while the push waits for the server.
  const commandLines = (): string[] =>
    fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((pid) => {
      try {
        return [fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ")];
      } catch {
        return []; // gone meanwhile
      }
    });

  it.skipIf(!fs.existsSync("/proc/self/cmdline"))(
    "with MILESTONE_GIT_USERNAME/PASSWORD and a store credential helper configured, the secret is in no argv and no file",
    async () => {
      // A `git` first on PATH that records each command line, then runs the real one.
      const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
      const bin = path.join(tmp, "bin");
      const argvLog = path.join(tmp, "git-argv.log");
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, "git"), `#!/bin/sh\nprintf '%s ' "$@" >> '${argvLog}'\necho >> '${argvLog}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
      process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
      // The person's own helper would write whatever credentials it is told to approve to disk.
      fs.writeFileSync(path.join(tmp, ".gitconfig"), "[credential]\n\thelper = store\n");

      const seen: string[][] = [];
      await serve({ username: USER, password: PASSWORD }, undefined, (request) => {
        if (request.authorization) seen.push(commandLines());
      });
      const result = await push({ MILESTONE_GIT_USERNAME: USER, MILESTONE_GIT_PASSWORD: PASSWORD });
      expect(result.ok).toBe(true);
      expect(remoteTip()).toBe(git(local, "rev-parse", BRANCH));

      const argv = fs.readFileSync(argvLog, "utf8");
      expect(argv).toMatch(/^push .*origin/m);
      // The scans ran while git's HTTP transport was talking to the server.
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.flat().some((line) => line.includes("remote-http"))).toBe(true);
      for (const form of forms) {
        expect(argv).not.toContain(form);
        expect(seen.flat().filter((line) => line.includes(form))).toEqual([]);
      }
      expect(fs.existsSync(path.join(tmp, ".git-credentials"))).toBe(false);
      const leaking = filesUnder(tmp).filter((f) => forms.some((form) => fs.readFileSync(f, "latin1").includes(form)));
      expect(leaking).toEqual([]);
    },
  );
});

// sshd on loopback, or a skip that says why (shown in the suite's name).
const sshdDir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-push-sshd-"));
const sshd = await startSshServer(sshdDir);
const ssh = typeof sshd === "string" ? undefined : sshd;
afterAll(async () => {
  await ssh?.close();
  fs.rmSync(sshdDir, { recursive: true, force: true });
});

describe.skipIf(!ssh)(ssh ? "pushBranch over SSH" : `pushBranch over SSH (skipped: ${sshd})`, () => {
  beforeEach(() => {
    process.env.GIT_SSH_COMMAND = `ssh -F ${ssh!.config}`;
  });

  it.each([
    ["scp-like host:path", () => `${ssh!.host}:${bare}`],
    ["ssh:// URL", () => `ssh://${ssh!.host}${bare}`],
  ])("creates the branch at the local tip when the remote is a %s", async (_name, url) => {
    git(local, "remote", "add", "origin", url());
    const tip = git(local, "rev-parse", BRANCH);
    expect(await push()).toEqual({ ok: true, remote: "origin", url: url(), branch: BRANCH, sha: tip });
    expect(remoteTip()).toBe(tip);
    expect(git(tmp, "--git-dir", bare, "fsck", "--strict", "--no-progress")).toBe("");
  });

  it("a key the server does not accept is an auth failure that points at ssh-agent", async () => {
    git(local, "remote", "add", "origin", `${ssh!.unknownKeyHost}:${bare}`);
    const result = await push();
    expect(result).toMatchObject({ ok: false, reason: "auth" });
    expect(result.ok === false && result.detail).toContain("ssh-agent");
    expect(remoteTip()).toBe("");
  });
});

describe("pushBranch without a reachable remote", () => {
  it("a closed port is a network failure", async () => {
    const srv = await startGitHttpServer({ root: tmp });
    const url = srv.url("project.git");
    await srv.close();
    git(local, "remote", "add", "origin", url);
    const result = await push();
    expect(result).toMatchObject({ ok: false, reason: "network", url });
    expect(result.ok === false && result.detail).toContain(`could not reach ${url} (`);
    expect(result.ok === false && result.detail).toContain("check the network and the URL of remote 'origin'");
  });

  it("no remote named origin is no_remote", async () => {
    const result: PushResult = await push();
    expect(result).toMatchObject({ ok: false, reason: "no_remote", remote: "origin", url: "" });
    expect(result.ok === false && result.detail).toContain("git remote add origin");
  });
});

describe.skipIf(!fs.existsSync(DENO))("pushBranch under Deno", () => {
  it("pushes through the git CLI with --allow-run=git and --allow-env, and no net or write access", async () => {
    await serve({ username: USER, password: PASSWORD });
    const script = path.join(tmp, "push.ts");
    const source = pathToFileURL(path.join(REPO, "src/git/push-branch.ts")).href;
    fs.writeFileSync(
      script,
      `import { pushBranch } from ${JSON.stringify(source)};\n` +
        `const result = await pushBranch(${JSON.stringify(repo())}, { remote: "origin", branch: ${JSON.stringify(BRANCH)} });\n` +
        `console.log(JSON.stringify(result));\n`,
    );
    const flags = [`--allow-read=${REPO},${tmp}`, "--allow-run=git", "--allow-env"];
    const run = await promisify(execFile)(DENO, ["run", "--no-prompt", "--config", path.join(REPO, "deno.json"), ...flags, script], {
      env: { PATH: process.env.PATH, HOME: tmp, GIT_CONFIG_NOSYSTEM: "1", MILESTONE_GIT_USERNAME: USER, MILESTONE_GIT_PASSWORD: PASSWORD },
    });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, sha: git(local, "rev-parse", BRANCH) });
    expect(remoteTip()).toBe(git(local, "rev-parse", BRANCH));
  });
});

describe("the test git server", () => {
  it("inflates a gzip'd request body, as git clients send large ones", async () => {
    const srv = await serve();
    expect((await push()).ok).toBe(true);
    const want = `want ${git(local, "rev-parse", BRANCH)}\n`;
    const body = `${(want.length + 4).toString(16).padStart(4, "0")}${want}00000009done\n`;
    const res = await fetch(`${srv.url("project.git")}/git-upload-pack`, {
      method: "POST",
      headers: { "Content-Type": "application/x-git-upload-pack-request", "Content-Encoding": "gzip" },
      body: gzipSync(body),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-git-upload-pack-result");
    expect(Buffer.from(await res.arrayBuffer()).toString("latin1")).toMatch(/^0008NAK\n.*PACK/s);
  });
});

describe("redaction", () => {
  it("redactUrl drops the userinfo and keeps the rest", () => {
    expect(redactUrl("https://bob:p%40ss@git.example.com:8443/a/b.git?x=1")).toBe("https://git.example.com:8443/a/b.git?x=1");
    expect(redactUrl("https://git.example.com/a.git")).toBe("https://git.example.com/a.git");
  });

  it("redactSecrets masks credential values, their URL-encoded form and URL userinfo", () => {
    const env = { MILESTONE_GIT_TOKEN: "tok/en+1", MILESTONE_GIT_PASSWORD: "pw" };
    expect(redactSecrets("a tok/en+1 b tok%2Fen%2B1 c pw", env)).toBe("a *** b *** c ***");
    expect(redactSecrets("see https://u:x@h/r.git now", {})).toBe("see https://***@h/r.git now");
  });
});
