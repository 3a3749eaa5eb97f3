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
  const text = readLogText(file);
  return text === null ? { events: [], torn: [] } : parseLog(text);
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

/**
 * Only the events called `name`, for readers that need one kind from a long log (`status` wants
 * task_started from a 40,000-line log): a line without `"event":"<name>"` in it is not parsed.
 * Torn lines are dropped and not reported.
 */
export function readEventsNamed(file: string, name: string): LoggedEvent[] {
  const text = readLogText(file);
  if (text === null) return [];
  // The writer's JSON.stringify puts no space after the colon.
  const needle = `"event":${JSON.stringify(name)}`;
  const events: LoggedEvent[] = [];
  for (let from = 0, at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, from)) {
    const start = text.lastIndexOf("\n", at) + 1;
    const newline = text.indexOf("\n", at);
    const end = newline === -1 ? text.length : newline;
    try {
      const event = JSON.parse(text.slice(start, end)) as LoggedEvent;
      if (event.event === name) events.push(event);
    } catch {
      // a torn line
    }
    from = end + 1;
  }
  return events;
}

// A log that does not exist yet is an empty one.
function readLogText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
