// Whether a process still runs, for owners recorded in files (the lock, temp files).
import fs from "node:fs";

/** True while `pid` runs. EPERM means it exists under another user; a zombie (a killed process
 *  whose parent is gone, waiting for an init that some containers run late or never) is dead. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true; // no /proc (macOS): kill(pid, 0) is all there is
  }
}
