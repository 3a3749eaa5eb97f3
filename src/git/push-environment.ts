// What a push's git child gets on top of runGit's environment: our credentials for HTTP(S) and
// never a prompt. A credential must not reach argv (anyone can read it with `ps`) or a file, so
// the values travel in the child's environment only, and the config that uses them is passed
// through GIT_CONFIG_COUNT/KEY/VALUE and names variables, never a value.
import type { GitCredentials } from "./git-credentials.ts";

// Read by the helper below; set only in the push's own child process.
const USERNAME_VAR = "MILESTONE_PUSH_USERNAME";
const PASSWORD_VAR = "MILESTONE_PUSH_PASSWORD";

// Git asks its credential helpers only once the server answers 401, so nothing is sent unasked.
// `store` and `erase` are ignored: the credentials are the environment's, never kept.
const HELPER = `!f() { if [ "$1" = get ]; then printf 'username=%s\\npassword=%s\\n' "$${USERNAME_VAR}" "$${PASSWORD_VAR}"; fi; }; f`;

/** What the URL of a remote says about how git will reach it. */
export function transportOf(url: string): "http" | "ssh" | "other" {
  if (/^https?:\/\//i.test(url)) return "http";
  if (/^(ssh|git\+ssh|ssh\+git):\/\//i.test(url)) return "ssh";
  // scp-like `[user@]host:path`: a colon before any slash (git's own rule in connect.c).
  if (/^[^/]*:/.test(url) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^[a-zA-Z]:[\\/]/.test(url)) return "ssh";
  return "other"; // a path, file://, git://: nothing to set
}

/**
 * Variables for the push's git process.
 * - HTTP(S) with credentials from our environment: the person's own credential helpers are
 *   dropped (an empty `credential.helper` resets the list), so a `store` helper cannot write ours
 *   to disk, and ours answers from two variables of the child's environment.
 * - SSH: ssh in batch mode, so a passphrase or an unknown host key fails the push instead of
 *   waiting on the terminal, unless the person chose their own ssh command.
 */
export function pushEnvironment(
  transport: ReturnType<typeof transportOf>,
  creds: GitCredentials | undefined,
  base: NodeJS.ProcessEnv,
  sshCommandConfigured: boolean,
): Record<string, string> {
  const config: Array<[string, string]> = [];
  const env: Record<string, string> = {};
  if (transport === "http" && creds) {
    config.push(["credential.helper", ""], ["credential.helper", HELPER]);
    env[USERNAME_VAR] = creds.username;
    env[PASSWORD_VAR] = creds.password;
  }
  if (transport === "ssh" && !base.GIT_SSH_COMMAND && !base.GIT_SSH && !sshCommandConfigured) {
    env.GIT_SSH_COMMAND = "ssh -o BatchMode=yes";
  }
  // Appended after any GIT_CONFIG_* entries the person set, which stay in force.
  const first = Number.parseInt(base.GIT_CONFIG_COUNT ?? "0", 10) || 0;
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${first + i}`] = key;
    env[`GIT_CONFIG_VALUE_${first + i}`] = value;
  });
  if (config.length) env.GIT_CONFIG_COUNT = String(first + config.length);
  return env;
}
