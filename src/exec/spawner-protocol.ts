// The spawner's wire format: one JSON object per line, requests on its stdin, replies on its stdout.
// Spoken by spawner-main.ts and spawner.py alike.
import type { LaunchError, LaunchRequest, LeaderExit } from "./launcher.ts";

/** The first line on its stdin: the environment tasks inherit (merged under a request's `env`). */
export interface SpawnerInit {
  env: Record<string, string>;
}

export type SpawnerRequest = LaunchRequest & { id: number };

/** `ready` once at start-up; per request, `pid` right after the spawn, then exactly one of `exit`
 *  or `error` (an error may come alone). */
export type SpawnerReply =
  | { ready: true }
  | { id: number; pid: number }
  | { id: number; exit: Extract<LeaderExit, { code: number | null }> }
  | { id: number; error: LaunchError };
