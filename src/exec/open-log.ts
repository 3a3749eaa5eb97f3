// The attempt's log file: opened here, handed to the child as its stdout and stderr, so output
// goes from the task straight to disk without passing through JavaScript.
import fs from "node:fs";
import path from "node:path";

/** Open `file` for the task's output (truncating it), creating its directory if missing. */
export function openLog(file: string): number {
  return openCreatingDir(file, "w");
}

/** Open `file` for appending and write `header` first, for a step that follows the task. */
export function openLogAppend(file: string, header: string): number {
  const fd = openCreatingDir(file, "a");
  try {
    fs.writeSync(fd, header);
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  return fd;
}

// Trying the open first costs nothing when the directory exists (every attempt but the first of
// a milestone) and, unlike a cache of created directories, still works if one was removed.
function openCreatingDir(file: string, flags: "w" | "a"): number {
  try {
    return fs.openSync(file, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return fs.openSync(file, flags);
  }
}
