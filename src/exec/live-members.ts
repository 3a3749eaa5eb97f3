// Whether a process group still has members that are running, as opposed to zombies.
import fs from "node:fs";
import { isGranted } from "../deno-permissions.ts";

/**
 * True if some process in group `pgid` is not a zombie; undefined where /proc cannot be read
 * (macOS, or Deno without --allow-all, which it requires for /proc/<pid> files).
 *
 * kill(-pgid, 0) also succeeds for zombies, and a killed grandchild stays a zombie until init
 * reaps it, which some inits (container or VM supervisors) do only every second or two. A zombie
 * has stopped for good, so for "nothing of the task still runs" it counts as gone. Only called
 * when something of the group was left after its leader exited, so the scan is off the hot path.
 */
export function hasLiveMembers(pgid: number): boolean | undefined {
  if (!procReadable()) return undefined;
  let names: string[];
  try {
    names = fs.readdirSync("/proc");
  } catch {
    return undefined;
  }
  for (const name of names) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
    } catch (error) {
      // Gone since the listing: skip it. Anything else (Deno asks --allow-all for /proc/<pid>)
      // means we cannot tell, which must not pass for "nothing runs".
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ESRCH") continue;
      return undefined;
    }
    // "pid (comm) state ppid pgrp …": comm may contain spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

// Deno, run in a terminal without read access to /proc, would stop the executor with an
// interactive permission prompt at readdir; ask first, without prompting. Node has no such gate.
function procReadable(): boolean {
  return isGranted({ name: "read", path: "/proc" });
}
