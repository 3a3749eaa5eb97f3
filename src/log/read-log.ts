// Reads an event log. A torn line (the process died mid-write) is dropped, never fatal. After a
// crash the writer starts a fresh line, so a torn fragment may sit in the middle of a log that
// went on; it is dropped there too and reported.
import fs from "node:fs";
import type { LoggedEvent } from "./event-types.ts";

export interface LogRead {
  events: LoggedEvent[];
  /** Line numbers (1-based) of dropped torn lines. */
  torn: number[];
  /** Whole lines that are not this log's (another milestone's, or out of sequence), dropped. */
  refused?: Array<{ line: number; reason: string }>;
}

export function readLog(file: string): LogRead {
  const text = readLogText(file);
  return text === null ? { events: [], torn: [] } : parseLog(text);
}

export function parseLog(text: string): LogRead {
  return parseLogAfter(text, 0, NOTHING);
}

const NOTHING: ReadonlySet<string> = new Set();

/** What the writer puts first on every line (JSON.stringify of LoggedEvent, keys in order). */
const LINE_HEAD = /^\{"v":1,"seq":(\d+),"ts":"([^"]*)","milestone_id":"([^"\\]*)","session_id":"[^"\\]*","event":"([a-z_]+)"/;

/**
 * A long log read for a resume: every line after the first whose seq is above `afterSeq` is
 * parsed, and of the lines before only those whose event is in `before`; the others are not
 * parsed at all (JSON.parse of 20,000 lines was a tenth of a resume's start-up). A skipped line
 * that does not end its object is reported torn, as parseLog would. `lastSeq` is the last
 * line's.
 */
export function parseLogAfter(text: string, afterSeq: number, before: ReadonlySet<string>, milestoneId?: string): LogRead & { lastSeq: number } {
  const lines = text.split("\n");
  // Lines are in seq order: walk back from the end to the last one at or below afterSeq (seqs
  // start at 1: with 0, every line). A line whose head cannot be read (torn, or not the
  // writer's) says nothing; it is parsed either way.
  let tail = afterSeq > 0 ? lines.length : 0;
  while (tail > 0) {
    const head = LINE_HEAD.exec(lines[tail - 1]);
    if (head !== null && Number(head[1]) <= afterSeq) break;
    tail--;
  }
  const events: LoggedEvent[] = [];
  const torn: number[] = [];
  const refused: Array<{ line: number; reason: string }> = [];
  let lastSeq = 0;
  // A line appended by something else (another milestone's writer, a copy, a hand edit) must not
  // count: with `milestoneId`, a line of another milestone, or one whose seq does not follow the
  // last, is refused and reported.
  const foreign = (seq: number, milestone: string): string | null => {
    if (milestoneId === undefined) return null;
    if (milestone !== milestoneId) return `belongs to milestone '${milestone}'`;
    return seq > lastSeq ? null : `seq ${seq} does not follow ${lastSeq}`;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    if (i < tail) {
      const head = LINE_HEAD.exec(line);
      if (head !== null && !before.has(head[4])) {
        if (line.charCodeAt(line.length - 1) !== 125 /* } */) torn.push(i + 1);
        else {
          const reason = foreign(Number(head[1]), head[3]);
          if (reason) refused.push({ line: i + 1, reason });
          else lastSeq = Number(head[1]);
        }
        continue;
      }
    }
    let event: LoggedEvent;
    try {
      event = JSON.parse(line) as LoggedEvent;
    } catch {
      torn.push(i + 1);
      continue;
    }
    const reason = foreign(event.seq, event.milestone_id);
    if (reason) {
      refused.push({ line: i + 1, reason });
      continue;
    }
    events.push(event);
    lastSeq = event.seq;
  }
  return { events, torn, lastSeq, ...(refused.length ? { refused } : {}) };
}

/**
 * The seq of the first progress_updated logged at `ts` (the time the milestone file's
 * progress.last_update holds), scanning from the end; null when the log has none.
 */
export function progressSeqAt(text: string, ts: string): number | null {
  let found: number | null = null;
  for (let end = text.length; end > 0; ) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const head = LINE_HEAD.exec(text.slice(start, Math.min(end, start + 320)));
    end = start - 1;
    if (head === null || head[4] !== "progress_updated") continue;
    if (head[2] === ts) found = Number(head[1]);
    else if (found !== null || head[2] < ts) break;
  }
  return found;
}

/**
 * Calls `each` with the events called `name`, in log order, for readers that need one kind from
 * a long log (`status` wants task_started from a 40,000-line log): a line without
 * `"event":"<name>"` in it is not parsed. Torn lines are dropped and not reported. The log is
 * read a chunk at a time, not whole: the report `execute --json` prints at the end of a
 * 10,000-task run read its 8.6 MB log whole, which was 25 MB of the run's peak memory.
 */
export function forEachEventNamed(file: string, name: string, each: (event: LoggedEvent) => void, chunkBytes = 1 << 20): void {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  // The writer's JSON.stringify puts no space after the colon.
  const needle = `"event":${JSON.stringify(name)}`;
  let buffer = Buffer.allocUnsafe(chunkBytes);
  // Bytes carried over from the last read: the start of a line not read to its end yet.
  let kept = 0;
  try {
    for (;;) {
      if (kept === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const read = fs.readSync(fd, buffer, kept, buffer.length - kept, null);
      const end = kept + read;
      // Whole lines only (a newline byte is never part of a UTF-8 character), and once the file
      // ends, what is left: a last line without its newline.
      const cut = read === 0 ? end : buffer.lastIndexOf(0x0a, end - 1) + 1;
      if (cut > 0) eachLineNamed(buffer.toString("utf8", 0, cut), needle, name, each);
      if (read === 0) return;
      buffer.copy(buffer, 0, cut, end);
      kept = end - cut;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function eachLineNamed(text: string, needle: string, name: string, each: (event: LoggedEvent) => void): void {
  for (let from = 0, at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, from)) {
    const start = text.lastIndexOf("\n", at) + 1;
    const newline = text.indexOf("\n", at);
    const end = newline === -1 ? text.length : newline;
    let event: LoggedEvent | undefined;
    try {
      event = JSON.parse(text.slice(start, end)) as LoggedEvent;
    } catch {
      // a torn line
    }
    if (event?.event === name) each(event);
    from = end + 1;
  }
}

// A log that does not exist yet is an empty one.
export function readLogText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    // A folder where the log goes fails on the read, whose error names no path: name it.
    throw Object.assign(error as NodeJS.ErrnoException, { path: (error as NodeJS.ErrnoException).path ?? file });
  }
}
