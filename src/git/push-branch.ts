// Pushes a milestone branch to a remote once the milestone completes, with the git CLI: over SSH,
// HTTP(S) or to a local path, whatever the remote's URL is. Failures come back as values with a
// reason and a one-line instruction, never as throws, and no string in the result can carry a
// credential: each passes through redactSecrets.
import type { GitRepo } from "./find-repository.ts";
import { credentialsFromEnv, credentialsHint, type GitCredentials } from "./git-credentials.ts";
import { pushEnvironment, transportOf } from "./push-environment.ts";
import { redactSecrets, redactUrl, userinfoSecrets } from "./redact.ts";
import { runGit, type GitOutput } from "./run-git.ts";

export type PushFailureReason = "rejected" | "auth" | "network" | "no_remote" | "other";

export type PushResult =
  | { ok: true; remote: string; url: string; branch: string; sha: string }
  | { ok: false; remote: string; url: string; branch: string; reason: PushFailureReason; detail: string };

export interface PushOptions {
  remote: string;
  branch: string;
  /** Where credentials are read from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Pushes `refs/heads/<branch>` to the same branch on `remote`, never forcing.
 *
 * @example
 * const r = await pushBranch(repo, { remote: "origin", branch: "milestone/auth-v2" });
 * if (!r.ok) console.error(`push ${r.reason}: ${r.detail}`);
 */
export async function pushBranch(repo: GitRepo, options: PushOptions): Promise<PushResult> {
  const { remote, branch, env = process.env } = options;
  const at = { cwd: repo.dir };
  const rawUrl = await remoteUrl(repo, remote);
  const secrets = rawUrl ? userinfoSecrets(rawUrl) : [];
  const clean = (text: string) => redactSecrets(text, env, secrets).replace(/\s*\n\s*/g, " ").trim();
  const base = { remote: clean(remote), url: rawUrl ? clean(redactUrl(rawUrl)) : "", branch: clean(branch) };
  const fail = (reason: PushFailureReason, detail: string): PushResult => ({ ok: false, ...base, reason, detail: clean(detail) });

  if (rawUrl === undefined) {
    return fail("no_remote", `no remote named '${remote}' is configured: add it with 'git remote add ${remote} <url>', then run resume again`);
  }
  const ref = `refs/heads/${branch}`;
  const tip = await runGit(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { ...at, okCodes: [0, 1, 128] });
  if (tip.code !== 0) return fail("other", `there is no local branch ${branch} to push: check that the milestone ran with git enabled`);

  const transport = transportOf(rawUrl);
  const creds = credentialsFromEnv(env);
  const sshCommand = transport === "ssh" && (await runGit(["config", "--get", "core.sshCommand"], { ...at, okCodes: [0, 1] })).code === 0;
  let out: GitOutput;
  try {
    // --porcelain: one status line per ref on stdout, so a rejection is read, not guessed.
    out = await runGit(["push", "--porcelain", "--", remote, `${ref}:${ref}`], {
      ...at,
      env: pushEnvironment(transport, creds, process.env, sshCommand),
      okCodes: [0, 1, 128],
    });
  } catch (err) {
    return fail("other", `pushing ${branch} to ${remote} failed: ${(err as Error).message}`);
  }
  if (out.code === 0) return { ok: true, ...base, sha: tip.stdout.trim() };
  const { reason, detail } = describeFailure(out, { remote, branch, url: redactUrl(rawUrl), transport, creds, urlPassword: /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*:[^/?#@]*@/i.test(rawUrl) });
  return fail(reason, detail);
}

// The URL git pushes to: pushurl wins over url, insteadOf rewrites applied.
async function remoteUrl(repo: GitRepo, remote: string): Promise<string | undefined> {
  const r = await runGit(["remote", "get-url", "--push", "--", remote], { cwd: repo.dir, okCodes: [0, 2, 128] });
  const url = r.stdout.trim().split("\n")[0];
  return r.code === 0 && url ? url : undefined;
}

interface FailureContext {
  remote: string;
  branch: string;
  url: string;
  transport: ReturnType<typeof transportOf>;
  creds: GitCredentials | undefined;
  /** The remote's URL holds a password (git uses it and asks nobody else). */
  urlPassword: boolean;
}

const NETWORK = /could not resolve host|couldn't connect|failed to connect|connection refused|connection reset|connection closed|timed out|network is unreachable|no route to host|could not resolve hostname/i;

// Maps git's exit and what it printed onto a reason and what the user should do.
function describeFailure(out: GitOutput, ctx: FailureContext): { reason: PushFailureReason; detail: string } {
  const said = gitSays(out);
  const refused = out.stdout.split("\n").find((l) => l.startsWith("!\t"));
  if (refused) {
    const summary = refused.split("\t")[2] ?? "";
    if (summary.startsWith("[rejected]")) {
      return { reason: "rejected", detail: `the remote's ${ctx.branch} has commits this one lacks: fetch and merge them, then run resume again` };
    }
    const why = summary.replace(/^\[[^\]]*\]\s*/, "").replace(/^\((.*)\)$/, "$1") || said;
    return { reason: "rejected", detail: `${ctx.remote} refused to update ${ctx.branch} (${why}): ask its owner what the remote requires, then run resume again` };
  }
  const where = `${ctx.remote} (${ctx.url})`;
  if (/returned error: 403/.test(said)) {
    const who = ctx.creds ? `the credentials from ${ctx.creds.source}` : "the credentials given";
    return { reason: "auth", detail: `${where} denied ${who} write access (HTTP 403): use credentials allowed to push there, then run resume again` };
  }
  if (/authentication failed|could not read (username|password)|returned error: 401/i.test(said)) return { reason: "auth", detail: httpAuthDetail(ctx, said) };
  if (/permission denied \(|publickey/i.test(said)) {
    return { reason: "auth", detail: `${where} refused our SSH key (${said}): add a key the remote accepts to your ssh-agent (ssh-add), then run resume again` };
  }
  if (/host key verification failed/i.test(said)) {
    return { reason: "other", detail: `the SSH host key of ${ctx.url} is not known: connect once with ssh to check and accept it, then run resume again` };
  }
  if (NETWORK.test(said)) return { reason: "network", detail: `could not reach ${ctx.url} (${said}): check the network and the URL of remote '${ctx.remote}', then run resume again` };
  if (/returned error: 404|does not appear to be a git repository|not found/i.test(said)) {
    return { reason: "other", detail: `${ctx.url} has no git repository (${said}): check the URL of remote '${ctx.remote}'` };
  }
  return { reason: "other", detail: `pushing ${ctx.branch} to ${ctx.remote} failed: ${said}` };
}

// What git said that explains the failure: its first lines, without hints and the boilerplate
// it adds after any transport error.
function gitSays(out: GitOutput): string {
  const lines = out.stderr.split("\n").map((l) => l.trim());
  const telling = lines.filter((l) => l && !/^(hint:|To |fatal: Could not read from remote repository|Please make sure you have the correct access rights|and the repository exists)/.test(l));
  return telling.slice(0, 2).join("; ") || `exit code ${out.code}`;
}

// Names the variables to set or check; the values never appear.
function httpAuthDetail(ctx: FailureContext, said: string): string {
  const where = `${ctx.remote} (${ctx.url})`;
  if (/could not read (username|password)/i.test(said)) return `${where} needs credentials: ${credentialsHint()}, then run resume again`;
  if (ctx.urlPassword) {
    return `${where} refused the credentials in the remote's URL: correct them, or remove them from the URL and ${credentialsHint()}, then run resume again`;
  }
  if (ctx.creds) return `${where} refused the credentials from ${ctx.creds.source}: correct them, then run resume again`;
  return `${where} refused the credentials git found (your credential helper): correct them, or ${credentialsHint()}, then run resume again`;
}
