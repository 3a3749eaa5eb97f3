// Before a resumed run dispatches anything, nothing of the dead run may still be working:
// every process group it left (recorded pgids of attempts in flight, and on Linux every process
// marked as a task of this milestone) is killed, and we wait until it is gone. (A live
// executor's tasks are never among them: execute refuses to start beside one, live-executor.ts.)
import { findMarkedGroups } from "../exec/find-marked.ts";
import { groupAlive, killGroup } from "../exec/kill-group.ts";
import type { InFlight } from "./reconcile.ts";

const GONE_WAIT_MS = 5000;

export async function killOrphans(project: string, milestoneId: string, inFlight: InFlight[]): Promise<number[]> {
  const groups = new Set<number>(inFlight.map((f) => f.pgid ?? 0).filter((pgid) => pgid > 1 && groupAlive(pgid)));
  for (const pgid of findMarkedGroups(project, milestoneId) ?? []) if (pgid > 1 && pgid !== process.pid) groups.add(pgid);
  const killed = [...groups].filter((pgid) => killGroup(pgid, "SIGKILL"));
  const giveUpAt = Date.now() + GONE_WAIT_MS;
  while (killed.some(groupAlive) && Date.now() < giveUpAt) await new Promise((r) => setTimeout(r, 10));
  return killed;
}
