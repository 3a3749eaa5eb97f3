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
