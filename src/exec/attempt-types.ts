// The contract between the attempts actor and the process layer: what one attempt of a task is,
// the handle the caller holds while it runs, and how it ended. Plain data, no behaviour.
import type { TaskCommand } from "../milestone/plan-types.ts";

export interface AttemptSpec {
  /** `shell` runs `sh -c script`; `agent` runs argv directly, so the prompt needs no quoting. */
  command: TaskCommand;
  /** Shell command run after a successful exit, in the same cwd and env; it must exit 0. */
  verify: string | null;
  /** Absolute working directory. */
  cwd: string;
  /** Overrides merged over the inherited environment; empty means inherit it untouched. */
  env: Record<string, string>;
  /** Absolute path of this attempt's stdout+stderr log; its directory is created if missing. */
  logFile: string;
  /** Absolute epoch ms; at the deadline the group gets SIGTERM, then SIGKILL after killGraceMs. */
  deadline: number | null;
  /** Time between SIGTERM and SIGKILL, for the deadline. Default 5000. */
  killGraceMs?: number;
}

export interface AttemptHandle {
  /**
   * The leader's pid, equal to its process group id, once the process exists; null if it could
   * not be started (`done` then says why). Settles before `done`; never rejects.
   */
  started: Promise<{ pid: number; pgid: number } | null>;
  /** Settles once the attempt is over and its process groups are gone; never rejects. */
  done: Promise<AttemptResult>;
  /**
   * Stop the attempt now (pause / cancel): SIGTERM to the group, SIGKILL after graceMs; if the pid
   * is not known yet, as soon as it is. Resolves when the attempt is over.
   */
  stop(graceMs?: number): Promise<void>;
}

export type AttemptResult =
  | { ok: true; exitCode: 0 }
  | { ok: false; reason: "exit"; exitCode: number | null; signal: string | null }
  | { ok: false; reason: "timeout"; signal: string | null }
  /** Ended by stop(): never counts as a success, even if the task exited 0 on SIGTERM. */
  | { ok: false; reason: "stopped"; signal: string | null }
  | { ok: false; reason: "verify"; exitCode: number | null }
  | { ok: false; reason: "spawn"; message: string };

export type AttemptFailure = Extract<AttemptResult, { ok: false }>;

export const DEFAULT_KILL_GRACE_MS = 5000;
