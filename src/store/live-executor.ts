// One executor per milestone even without its lock file (deleted by hand or by a clean-up
// script): an engine whose tasks of this milestone are running, marked with its pid
// (task-markers.ts), and which is alive, is executing it. Linux /proc only; elsewhere the lock
// file is all there is.
import { ExitError } from "../errors.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { executorsOfMarked } from "../exec/find-marked.ts";
import { processAlive } from "./process-alive.ts";

export function refuseBesideLiveExecutor(project: string, milestoneId: string): void {
  const live = (executorsOfMarked(project, milestoneId) ?? []).filter(processAlive);
  if (live.length === 0) return;
  throw new ExitError(
    `milestone '${milestoneId}' is being executed by pid ${live[0]} (its tasks are running), though its lock file is gone`,
    EXIT.locked,
    `wait for it to finish, or stop it (kill -INT ${live[0]}); its lock file comes back with its next heartbeat`,
  );
}
