// Keeps credentials out of everything we print, log or persist: results, events, snapshots and
// error details all pass through here before they leave the git layer.
import { Buffer } from "node:buffer";
import { CREDENTIAL_ENV, credentialsFromEnv } from "./git-credentials.ts";

const MASK = "***";

// scheme://userinfo@ — the authority ends at the first / ? # (or whitespace, inside prose), and
// the userinfo at the last @ before that.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi;

/** The URL without its `user:password@` part, for showing where we pushed. */
export function redactUrl(url: string): string {
  return url.replace(USERINFO, "$1");
}

/**
 * `text` with every credential value from `env` (and any `extra` secrets, such as the userinfo of
 * a configured remote URL) replaced by `***`, and URL userinfo masked.
 *
 * @example redactSecrets("auth failed for s3cret", { MILESTONE_GIT_TOKEN: "s3cret" }) // "auth failed for ***"
 */
export function redactSecrets(text: string, env: NodeJS.ProcessEnv, extra: readonly string[] = []): string {
  let out = text.replace(USERINFO, `$1${MASK}@`);
  for (const secret of secretForms(env, extra)) out = out.split(secret).join(MASK);
  return out;
}

/**
 * The secret in a URL's userinfo, as written and decoded, to pass to redactSecrets as `extra`:
 * the password of `user:password@`, or the whole of `token@` (hosts take a token as the user).
 */
export function userinfoSecrets(url: string): string[] {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url);
  if (!match) return [];
  const colon = match[1].indexOf(":");
  const secret = colon === -1 ? match[1] : match[1].slice(colon + 1);
  return secret ? [secret, safeDecode(secret)] : [];
}

// Each secret as written and as it would appear percent-encoded in a URL or base64'd in a Basic
// header; longest first so a secret containing another is masked whole.
function secretForms(env: NodeJS.ProcessEnv, extra: readonly string[]): string[] {
  const raw = [env[CREDENTIAL_ENV.token], env[CREDENTIAL_ENV.password], ...extra].filter((s): s is string => !!s);
  const forms = raw.flatMap((s) => [s, encodeURIComponent(s)]);
  const creds = credentialsFromEnv(env);
  if (creds) forms.push(Buffer.from(`${creds.username}:${creds.password}`).toString("base64"));
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
