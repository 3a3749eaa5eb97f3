// How a process group gets started: in this process, or by the spawner helper process (see
// spawner-launcher.ts for why). One interface, so run-attempt.ts does not care which one runs.

/** One program to start as the leader of a new process group, its output going to a log file. */
export interface LaunchRequest {
  file: string;
  args: string[];
  /** Absolute working directory. */
  cwd: string;
  /** Overrides merged over the inherited environment; empty means inherit it untouched. */
  env: Record<string, string>;
  /** Receives stdout and stderr; truncated, or appended to after `append` if that is given. */
  logFile: string;
  /** Header written before appending to the log (the verify step); absent means truncate. */
  append?: string;
}

/** Why a group could not start or could not be followed to its end. */
export interface LaunchError {
  /**
   * `setup`: before the program ran (log file, spawn arguments, spawner gone before the pid).
   * `exec`: the program itself could not be executed (ENOENT, EACCES).
   * `lost`: it ran, but the spawner died, so how it ended is unknown.
   */
  phase: "setup" | "exec" | "lost";
  code?: string;
  message: string;
}

/** How a group leader ended: its exit status, or the error that kept it from starting. */
export type LeaderExit = { code: number | null; signal: NodeJS.Signals | null } | { error: LaunchError };

export interface Launched {
  /** The leader's pid, which is also its pgid; null if it never started (`exit` says why). */
  pid: Promise<number | null>;
  /** Settles after `pid`, once the leader has exited or failed to start; never rejects. */
  exit: Promise<LeaderExit>;
}

export interface Launcher {
  launch(request: LaunchRequest): Launched;
  /** Get ready to launch (start a helper process) ahead of the first request; optional. */
  warmUp?(): void;
}
