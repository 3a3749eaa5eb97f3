// Process checks shared by the tests.
import fs from "node:fs";

/** Whether a process with this pid is still running. A zombie (dead, waiting to be reaped by a
 *  pid 1 that may reap late or never in a container) does not count. Without /proc (macOS),
 *  kill(pid, 0) is all there is. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!fs.existsSync("/proc/self/stat")) return true;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Waits until `file` has content, for scripts that report a pid before blocking. */
export async function readWhenWritten(file: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
    if (text !== "") return text;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${file} was never written`);
}

/** A shell command printing the command line of the process that started it (Linux /proc),
 *  e.g. to tell which spawner started a task. */
export const PARENT_COMMAND_LINE = "tr '\\0' ' ' < /proc/$PPID/cmdline";
