// The end of a command's output, small enough for a blocker, an event and the milestone file.
import fs from "node:fs";

export interface TailLimits {
  maxBytes: number;
  maxLines: number;
}

/** The last lines of `file` within the limits, control sequences removed; "" if unreadable. */
export function readTail(file: string, { maxBytes, maxLines }: TailLimits): string {
  const end = readEnd(file, maxBytes);
  if (end === null) return "";
  const lines = clean(end.text).split("\n");
  // A read that starts mid-file starts mid-line (maybe mid-character): that line is a fragment.
  if (end.cut) lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
  return lines.slice(-maxLines).join("\n");
}

/** At most the last `maxBytes` of a file, and whether anything before them was left out; null if unreadable. */
export function readEnd(file: string, maxBytes: number): { text: string; cut: boolean } | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return { text: buffer.toString("utf8"), cut: length < size };
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

// Colours and cursor moves mean nothing outside a terminal; a `\r` progress bar keeps its last frame.
function clean(text: string): string {
  return text
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "")
    .replace(/[^\n]*\r(?!\n)/g, "")
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}
