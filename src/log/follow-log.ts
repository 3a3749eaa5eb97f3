// An event log followed as it grows, by polling its size: portable across Node and Deno, and it
// survives the file being created later or appended to by successive executions (resumes).
// Used by `log --follow` and `status --watch`, which read the log of a run in another process.
import fs from "node:fs";
import { Observable, timer } from "../rx.ts";
import { parseLog } from "./read-log.ts";
import type { LoggedEvent } from "./event-types.ts";

export const POLL_MS = 200;

/** The complete lines appended after byte `offset`, one batch per poll that found some. */
export function followLog(file: string, offset: number): Observable<LoggedEvent[]> {
  return new Observable((subscriber) => {
    let position = offset;
    // A line the writer has not finished yet waits for the next poll.
    let partial = Buffer.alloc(0);
    const poll = timer(0, POLL_MS).subscribe(() => {
      let size: number;
      try {
        size = fs.statSync(file).size;
      } catch {
        return;
      }
      if (size <= position) return;
      const fd = fs.openSync(file, "r");
      const chunk = Buffer.alloc(size - position);
      try {
        fs.readSync(fd, chunk, 0, chunk.length, position);
      } finally {
        fs.closeSync(fd);
      }
      position = size;
      const bytes = Buffer.concat([partial, chunk]);
      const cut = bytes.lastIndexOf(10) + 1;
      partial = bytes.subarray(cut);
      const { events } = parseLog(bytes.subarray(0, cut).toString("utf8"));
      if (events.length) subscriber.next(events);
    });
    return () => poll.unsubscribe();
  });
}
