// Signals to a whole process group. Every task runs as the leader of its own group (see
// spawn-group.ts), so `kill(-pgid)` reaches the task and everything it started, however deep.
import { hasLiveMembers } from "./live-members.ts";

// Pgids 0 and 1 would mean "our own group" and "init": never what a caller recorded for a task,
// so a zero pid from a failed spawn can never signal the executor itself.
function isTaskGroup(pgid: number): boolean {
  return Number.isInteger(pgid) && pgid > 1;
}

/** Send `signal` to every process in group `pgid`; false if the group is already gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!isTaskGroup(pgid)) return false;
  // After every task the usual answer is ESRCH, thrown as an error whose stack nobody reads;
  // capturing that stack was most of this call's cost in the profile of a 10,000-task run.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return process.kill(-pgid, signal);
  } catch {
    // ESRCH: nobody left in the group. EPERM: the pgid now belongs to someone else's processes,
    // which is not ours to signal either way.
    return false;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Whether any process of group `pgid` still runs; zombies waiting for their reaper do not count. */
export function groupAlive(pgid: number): boolean {
  if (!isTaskGroup(pgid)) return false;
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    // EPERM means the group exists but belongs to another user: alive, just not ours.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // The kill probe counts zombies too; where /proc tells us better, believe it.
  return hasLiveMembers(pgid) ?? true;
}
