// What remains of a task's process group once its leader has exited.
import { groupAlive, killGroup } from "./kill-group.ts";

// SIGKILL ends a process within milliseconds unless it is stuck in the kernel (uninterruptible
// I/O); such a process cannot be hurried, so the wait is capped rather than hanging the task.
const REAP_WAIT_MS = 1000;
const REAP_POLL_MS = 5;

/**
 * SIGKILL whatever is left of group `pgid` and wait until none of it runs any more.
 *
 * A task's leader exiting does not end what it started: `cmd &`, daemons, a test runner's
 * workers keep running, holding the log file and the working tree. They would race the git
 * commit for the task, outlive a timeout, or survive into a retry of the same task. The group is
 * the task's, so nothing in it may outlive the task. In the common case the group is already
 * empty and this costs one failed kill(2) and no waiting.
 */
export function killLeftovers(pgid: number): Promise<void> | undefined {
  if (!killGroup(pgid, "SIGKILL")) return undefined;
  return new Promise((resolve) => {
    const giveUpAt = Date.now() + REAP_WAIT_MS;
    const poll = () => {
      if (!groupAlive(pgid) || Date.now() >= giveUpAt) resolve();
      else setTimeout(poll, REAP_POLL_MS);
    };
    setTimeout(poll, REAP_POLL_MS);
  });
}
