// The last line a running task printed, for the dashboard. Reads only the file's last KiB, so a
// task that writes megabytes costs the same as one that writes a line.
import fs from "node:fs";

const TAIL_BYTES = 1024;

/** The last non-blank line of a file, without colours or control characters; "" if none. */
export function tailLine(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return "";
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return lastLine(buffer.toString("utf8"));
  } catch {
    return "";
  } finally {
    fs.closeSync(fd);
  }
}

// A task's own escapes would move our cursor or recolour the dashboard; a progress bar's `\r`
// rewrites its line, so only what follows the last one is on the task's screen.
export function lastLine(text: string): string {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const parts = lines[i].split("\r").filter((part) => part.trim() !== "");
    const shown = (parts[parts.length - 1] ?? "")
      .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "")
      .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, "")
      .replace(/[\x00-\x08\x0b-\x1f\x7f\ufffd]/g, "")
      .replace(/\t/g, " ")
      .trim();
    if (shown) return shown;
  }
  return "";
}
