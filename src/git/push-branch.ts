// Pushes a milestone branch to a remote over HTTP(S) once the milestone completes. Failures come
// back as values with a reason and a one-line instruction, never as throws, and no string in the
// result can carry a credential: each passes through redactSecrets.
import fs from "node:fs";
import { getConfig, push, resolveRef } from "isomorphic-git";
import http from "isomorphic-git/http/node";
import type { GitRepo } from "./find-repository.ts";
import { credentialsFromEnv, credentialsHint, type GitCredentials } from "./git-credentials.ts";
import { redactSecrets, redactUrl, userinfoSecrets } from "./redact.ts";

export type PushFailureReason = "rejected" | "auth" | "network" | "no_remote" | "other";

export type PushResult =
  | { ok: true; remote: string; url: string; branch: string; sha: string }
  | { ok: false; remote: string; url: string; branch: string; reason: PushFailureReason; detail: string };

export interface PushOptions {
  remote: string;
  branch: string;
  /** Where credentials are read from; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Aborts the push, e.g. when the run is interrupted. */
  signal?: AbortSignal;
}

// How the credential exchange went, so a cancelled auth can be told apart from other failures
// and explained precisely.
type AuthState = "unasked" | "missing" | "url_refused" | "env_sent" | "env_refused";

/**
 * Pushes `refs/heads/<branch>` to the same branch on `remote`, never forcing.
 *
 * @example
 * const r = await pushBranch(repo, { remote: "origin", branch: "milestone/auth-v2" });
 * if (!r.ok) console.error(`push ${r.reason}: ${r.detail}`);
 */
export async function pushBranch(repo: GitRepo, options: PushOptions): Promise<PushResult> {
  const { remote, branch, env = process.env } = options;
  const rawUrl = await remoteUrl(repo, remote);
  const secrets = rawUrl ? userinfoSecrets(rawUrl) : [];
  const clean = (text: string) => redactSecrets(text, env, secrets).replace(/\s*\n\s*/g, " ").trim();
  const base = { remote: clean(remote), url: rawUrl ? clean(redactUrl(rawUrl)) : "", branch: clean(branch) };
  const fail = (reason: PushFailureReason, detail: string): PushResult => ({ ok: false, ...base, reason, detail: clean(detail) });

  if (rawUrl === undefined) {
    return fail("no_remote", `no remote named '${remote}' is configured: add it with 'git remote add ${remote} <https-url>', then run resume again`);
  }
  if (!/^https?:\/\//i.test(rawUrl)) {
    return fail("other", `remote '${remote}' is ${rawUrl}, but pushes go over HTTP(S) only: set an https:// URL with 'git remote set-url ${remote} <https-url>'`);
  }
  const ref = `refs/heads/${branch}`;
  let sha: string;
  try {
    sha = await resolveRef({ fs, gitdir: repo.gitdir, ref });
  } catch {
    return fail("other", `there is no local branch ${branch} to push: check that the milestone ran with git enabled`);
  }

  const creds = credentialsFromEnv(env);
  let auth: AuthState = "unasked";
  try {
    await push({
      fs,
      http,
      dir: repo.dir,
      gitdir: repo.gitdir,
      remote,
      url: rawUrl,
      ref,
      remoteRef: ref,
      signal: options.signal,
      // Called once after the first 401; credentials are offered only when the server asks.
      onAuth: (_url, offered) => {
        if (creds) {
          auth = "env_sent";
          return { username: creds.username, password: creds.password };
        }
        auth = offered.username || offered.password ? "url_refused" : "missing";
        return { cancel: true };
      },
      // Retrying the same credentials would loop forever against a server that keeps saying 401.
      onAuthFailure: () => {
        auth = "env_refused";
        return { cancel: true };
      },
    });
    return { ok: true, ...base, sha };
  } catch (err) {
    const { reason, detail } = describeFailure(err, { remote, branch, url: redactUrl(rawUrl), auth, creds });
    return fail(reason, detail);
  }
}

// The push URL git itself would use: pushurl wins over url.
async function remoteUrl(repo: GitRepo, remote: string): Promise<string | undefined> {
  for (const key of [`remote.${remote}.pushurl`, `remote.${remote}.url`]) {
    const value: unknown = await getConfig({ fs, dir: repo.dir, gitdir: repo.gitdir, path: key });
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

interface FailureContext {
  remote: string;
  branch: string;
  url: string;
  auth: AuthState;
  creds: GitCredentials | undefined;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ECONNABORTED"]);

// Maps isomorphic-git's and the HTTP client's errors onto a reason and what the user should do.
function describeFailure(err: unknown, ctx: FailureContext): { reason: PushFailureReason; detail: string } {
  const e = (err ?? {}) as { code?: string; name?: string; message?: string; data?: any };
  const message = e.message ?? String(err);
  if (e.code === "PushRejectedError" || (e.code === "GitPushError" && e.data?.result?.ok)) {
    const remoteSays = e.code === "GitPushError" ? String(e.data?.prettyDetails ?? "") : "";
    if (e.code === "PushRejectedError" || /non-fast-forward|fetch first/.test(remoteSays)) {
      return { reason: "rejected", detail: `the remote's ${ctx.branch} has commits this one lacks: fetch and merge them, then run resume again` };
    }
    return { reason: "rejected", detail: `${ctx.remote} refused to update ${ctx.branch} (${remoteSays.trim()}): ask its owner what the remote requires, then run resume again` };
  }
  if (e.code === "UserCanceledError" && ctx.auth !== "unasked") return { reason: "auth", detail: authDetail(ctx) };
  const status = e.code === "HttpError" ? Number(e.data?.statusCode) : undefined;
  if (status === 401 || status === 403) return { reason: "auth", detail: authDetail(ctx, status) };
  if (e.name === "AbortError" || (e.code !== undefined && NETWORK_CODES.has(e.code))) {
    return { reason: "network", detail: `could not reach ${ctx.url} (${message}): check the network and the URL of remote '${ctx.remote}', then run resume again` };
  }
  if (status === 404) return { reason: "other", detail: `${ctx.url} has no git repository (HTTP 404): check the URL of remote '${ctx.remote}'` };
  if (e.code === "SmartHttpError") return { reason: "other", detail: `${ctx.url} is not a smart-HTTP git server: check the URL of remote '${ctx.remote}'` };
  return { reason: "other", detail: `pushing ${ctx.branch} to ${ctx.remote} failed: ${message}` };
}

// Names the variables to set or check; the values never appear.
function authDetail(ctx: FailureContext, status?: number): string {
  const where = `${ctx.remote} (${ctx.url})`;
  if (status === 403) {
    const who = ctx.creds ? `the credentials from ${ctx.creds.source}` : "the credentials given";
    return `${where} denied ${who} write access (HTTP 403): use credentials allowed to push there, then run resume again`;
  }
  switch (ctx.auth) {
    case "env_refused":
    case "env_sent":
      return `${where} refused the credentials from ${ctx.creds?.source}: correct them, then run resume again`;
    case "url_refused":
      return `${where} refused the credentials in the remote's URL: correct them, or remove them from the URL and ${credentialsHint()}, then run resume again`;
    default:
      return `${where} needs credentials: ${credentialsHint()}, then run resume again`;
  }
}
