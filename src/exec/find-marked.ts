// Finds the process groups of processes whose environment marks them as tasks of a milestone
// (see task-markers.ts). Linux /proc only; elsewhere, or where /proc cannot be read (Deno
// without read access to it), the answer is null and callers fall back to recorded pgids.
import fs from "node:fs";
import { isGranted } from "../deno-permissions.ts";

function procReadable(): boolean {
  return isGranted({ name: "read", path: "/proc" }) && fs.existsSync("/proc/self/environ");
}

export function findMarkedGroups(project: string, milestoneId: string): number[] | null {
  const found = findMarked(project, milestoneId);
  return found === null ? null : [...new Set(found.map((p) => p.pgid))];
}

/** The engines (pids) whose tasks of this milestone are running now, besides this process;
 *  null where /proc cannot be read. */
export function executorsOfMarked(project: string, milestoneId: string): number[] | null {
  const found = findMarked(project, milestoneId);
  return found === null ? null : [...new Set(found.flatMap((p) => (p.executor && p.executor !== process.pid ? [p.executor] : [])))];
}

function findMarked(project: string, milestoneId: string): Array<{ pgid: number; executor: number | null }> | null {
  if (!procReadable()) return null;
  const markers = [`\0MM_PROJECT=${project}\0`, `\0MM_MILESTONE=${milestoneId}\0`];
  const found: Array<{ pgid: number; executor: number | null }> = [];
  for (const name of fs.readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string;
    let stat: string;
    try {
      environ = `\0${fs.readFileSync(`/proc/${pid}/environ`, "utf8")}`;
      if (!markers.every((m) => environ.includes(m))) continue;
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone since the listing, or another user's
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z") continue;
    const executor = /\0MM_EXECUTOR_PID=(\d+)\0/.exec(environ);
    found.push({ pgid: Number(fields[2]), executor: executor ? Number(executor[1]) : null });
  }
  return found;
}
