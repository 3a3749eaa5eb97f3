// What the executor and the `attempts` actor (src/actors/attempts-actor.ts) say to each other.
// The executor keeps each running task's attempts as data (DESIGN §3); the attempts actor, one
// per run, starts and stops the processes and waits out backoffs. Deadlines are absolute ISO
// times, so a restored snapshot waits only for what is left (DESIGN §6.3).
import { fromCallback } from "xstate";
import { providedLater } from "./provided-later.ts";

/** Requests to the attempts actor. */
export type AttemptsRequest =
  /** Start this attempt of the task now (its task_started is already in the log). With
   *  `resolve`: the task is done, but its work conflicts with the milestone branch; this attempt
   *  hands the conflicting files to the agent in the task's worktree, as it is. */
  | { type: "attempts.start"; taskId: string; attempt: number; resolve?: { files: string[] } }
  /** Answer `attempt.due` for this attempt at `at`: the end of a backoff. */
  | { type: "attempts.wait"; taskId: string; attempt: number; at: string }
  /** Stop these tasks' processes (or their backoff); nothing more is heard of them. */
  | { type: "attempts.stop"; taskIds: string[] };

/** What the attempts actor reports, each about one attempt of one task. */
export type AttemptEvent =
  | { type: "attempt.started"; taskId: string; attempt: number; pid: number; pgid: number; at: string; deadline: string | null; log: string }
  | { type: "attempt.succeeded"; taskId: string; attempt: number; at: string }
  | { type: "attempt.failed"; taskId: string; attempt: number; at: string; reason: string; detail: string }
  | { type: "attempt.due"; taskId: string; attempt: number }
  /** The attempt could not start for a reason of the project's, not the task's (its worktree's
   *  set-up failed): it counts as not started, and the run blocks. */
  | { type: "attempt.blocked"; taskId: string; attempt: number; blocker: { type: string; detail: string; task: string; fix: string } };

export const attempts = fromCallback<AttemptsRequest>(() => providedLater("the attempts actor"));

const MAX_BACKOFF_MS = 5 * 60_000;

/** When the attempt after a failed one starts: the backoff doubles after each failure, up to 5 min. */
export function retryAtAfter(failedAt: string, backoffMs: number, failedAttempt: number): string {
  return new Date(Date.parse(failedAt) + Math.min(backoffMs * 2 ** (failedAttempt - 1), MAX_BACKOFF_MS)).toISOString();
}
