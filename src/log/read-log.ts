// Reads an event log. A torn line (the process died mid-write) is dropped, never fatal. After a
// crash the writer starts a fresh line, so a torn fragment may sit in the middle of a log that
// went on; it is dropped there too and reported.
import fs from "node:fs";
import type { LoggedEvent } from "./event-types.ts";

export interface LogRead {
  events: LoggedEvent[];
  /** Line numbers (1-based) of dropped torn lines. */
  torn: number[];
}

export function readLog(file: string): LogRead {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { events: [], torn: [] };
    throw error;
  }
  return parseLog(text);
}

export function parseLog(text: string): LogRead {
  const lines = text.split("\n");
  const events: LoggedEvent[] = [];
  const torn: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as LoggedEvent);
    } catch {
      torn.push(i + 1);
    }
  }
  return { events, torn };
}

/** The seq of the last complete line, reading only the end of the file. */
export function lastSeq(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  try {
    const size = fs.fstatSync(fd).size;
    for (let span = 64 * 1024; ; span *= 4) {
      const start = Math.max(0, size - span);
      const buffer = Buffer.alloc(size - start);
      fs.readSync(fd, buffer, 0, buffer.length, start);
      const lines = buffer.toString("utf8").split("\n").filter(Boolean);
      // The first line of a partial read may be cut; trust it only when reading from the start.
      const candidates = start === 0 ? lines : lines.slice(1);
      for (let i = candidates.length - 1; i >= 0; i--) {
        try {
          return (JSON.parse(candidates[i]) as LoggedEvent).seq;
        } catch {
          // torn line: try the one before
        }
      }
      if (start === 0) return 0;
    }
  } finally {
    fs.closeSync(fd);
  }
}
