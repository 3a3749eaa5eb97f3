// Appends journal events to the JSONL event log. Writes are synchronous so the log order is the
// journal order; events that others depend on are fdatasync'ed before the journal moves on,
// which also makes every cheaper line written before them durable (one sync covers a batch).
import fs from "node:fs";
import path from "node:path";
import type { Observable, Subscription } from "rxjs";
import { DURABLE_EVENTS, type LoggedEvent } from "./event-types.ts";

export class EventLogWriter {
  private fd: number | null = null;
  private subscription: Subscription | null = null;
  bytesWritten = 0;

  constructor(readonly file: string) {}

  follow(events$: Observable<LoggedEvent>): this {
    this.subscription = events$.subscribe((event) => this.append(event));
    return this;
  }

  append(event: LoggedEvent): void {
    if (this.fd === null) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = fs.openSync(this.file, "a+");
      this.healTornTail();
    }
    const line = `${JSON.stringify(event)}\n`;
    this.bytesWritten += fs.writeSync(this.fd, line);
    if (DURABLE_EVENTS.has(event.event)) fs.fdatasyncSync(this.fd);
  }

  close(): void {
    this.subscription?.unsubscribe();
    if (this.fd !== null) {
      fs.fdatasyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }

  // A crash mid-write leaves a line without its newline; start on a fresh line so the torn
  // fragment stays a line of its own that readers drop, instead of corrupting the next event.
  private healTornTail(): void {
    const size = fs.fstatSync(this.fd!).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    fs.readSync(this.fd!, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) fs.writeSync(this.fd!, "\n");
  }
}
