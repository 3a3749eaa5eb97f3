// Finds the process groups of processes whose environment marks them as tasks of a milestone
// (see task-markers.ts). Linux /proc only; elsewhere, or where /proc cannot be read (Deno
// without read access to it), the answer is null and callers fall back to recorded pgids.
import fs from "node:fs";
import { isGranted } from "../deno-permissions.ts";

function procReadable(): boolean {
  return isGranted({ name: "read", path: "/proc" }) && fs.existsSync("/proc/self/environ");
}

export function findMarkedGroups(project: string, milestoneId: string): number[] | null {
  if (!procReadable()) return null;
  const markers = [`\0MM_PROJECT=${project}\0`, `\0MM_MILESTONE=${milestoneId}\0`];
  const groups = new Set<number>();
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
    groups.add(Number(fields[2]));
  }
  return [...groups];
}
