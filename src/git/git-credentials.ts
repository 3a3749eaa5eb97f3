// Push credentials come from the environment only, never from milestone files or config, so
// they cannot end up committed next to the milestones they push.

/** The variables read, by name; messages quote these names and never their values. */
export const CREDENTIAL_ENV = {
  token: "MILESTONE_GIT_TOKEN",
  username: "MILESTONE_GIT_USERNAME",
  password: "MILESTONE_GIT_PASSWORD",
} as const;

/** The username hosts such as GitHub accept alongside a token. */
const TOKEN_USERNAME = "x-access-token";

export interface GitCredentials {
  username: string;
  password: string;
  /** Which variables supplied them, for messages. */
  source: string;
}

/** Basic-auth credentials from the environment: a token wins over a username and password. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): GitCredentials | undefined {
  const token = env[CREDENTIAL_ENV.token];
  const username = env[CREDENTIAL_ENV.username];
  const password = env[CREDENTIAL_ENV.password];
  if (token) return { username: username || TOKEN_USERNAME, password: token, source: CREDENTIAL_ENV.token };
  if (username && password) {
    return { username, password, source: `${CREDENTIAL_ENV.username} and ${CREDENTIAL_ENV.password}` };
  }
  return undefined;
}

/** What to set, as one clause naming variables only. */
export function credentialsHint(): string {
  return `set ${CREDENTIAL_ENV.token}, or ${CREDENTIAL_ENV.username} and ${CREDENTIAL_ENV.password}`;
}
