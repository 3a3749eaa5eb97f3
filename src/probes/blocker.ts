// What a probe reports: blockers, each with a one-line instruction a person can follow. Plain
// JSON, so a blocker can go into an event, the milestone file's `blockers:` list and a snapshot.

/** Every kind of blocker; the probes in this folder report the first three. */
export type BlockerType = "disk_low" | "test_failed" | "task_running_long" | "task_failed" | "git_conflict" | "plan_invalid";

export interface Blocker {
  type: BlockerType;
  /** What was found, with the numbers that prove it ("3.1 % free (812 MB) on /home"). */
  detail: string;
  /** The task it concerns, if it concerns one. */
  task?: string;
  /** One line telling a person what to do about it. */
  fix: string;
}

export interface ProbeResult {
  /** Empty when all is well, or when the probe could not run (then `unavailable` says why). */
  blockers: Blocker[];
  /** Set when the probe could not look at all (a missing permission, an unsupported platform). */
  unavailable?: string;
}
