// Appends journal events to the JSONL event log.
//
// Every line is written synchronously, in journal order, before the journal moves on: once
// write() returns, the line survives the death of this process (kill -9), because it is in the
// kernel's page cache. Surviving a power loss or kernel crash needs fdatasync. Syncs are grouped:
// a durable event asks for one fdatasync within SYNC_WINDOW_MS, run on libuv's thread pool while
// the run goes on, and every line written until it starts rides on it. The file only grows, so
// whatever a power loss keeps of it is a prefix: a dependent task's start is never on disk
// without its dependency's completion before it, and what the window loses runs again on resume
// (DESIGN §6.2). Asking for a sync wakes a pool thread, which on a busy machine takes the CPU
// from the engine: one per durable event cost ~10% of a 1,000-task run's engine CPU. close()
// syncs whatever is left, synchronously.
import fs from "node:fs";
import path from "node:path";
import type { Observable, Subscription } from "../rx.ts";
import { DURABLE_EVENTS, type LoggedEvent } from "./event-types.ts";
import { crashPoint } from "../persist/crash-point.ts";

/** How long a durable line may wait for the fdatasync that covers it. */
const SYNC_WINDOW_MS = 20;

export class EventLogWriter {
  private fd: number | null = null;
  private subscription: Subscription | null = null;
  private syncing = false;
  private syncWanted = false;
  private syncTimer: ReturnType<typeof setTimeout> | null = null;
  bytesWritten = 0;

  constructor(readonly file: string) {}

  follow(events$: Observable<LoggedEvent>): this {
    this.subscription = events$.subscribe((event) => this.append(event));
    return this;
  }

  append(event: LoggedEvent): void {
    if (this.fd === null) this.open();
    if (event.event === "task_started") crashPoint("before-task-started");
    this.bytesWritten += fs.writeSync(this.fd!, `${JSON.stringify(event)}\n`);
    if (event.event === "task_completed") crashPoint("after-task-completed");
    if (DURABLE_EVENTS.has(event.event)) this.requestSync();
  }

  close(): void {
    this.subscription?.unsubscribe();
    if (this.syncTimer !== null) clearTimeout(this.syncTimer);
    this.syncTimer = null;
    if (this.fd === null) return;
    fs.fdatasyncSync(this.fd);
    // An fdatasync still running on the thread pool holds the fd; closing it after that one ends.
    const fd = this.fd;
    this.fd = null;
    if (this.syncing) this.afterSync = () => fs.closeSync(fd);
    else fs.closeSync(fd);
  }

  private afterSync: (() => void) | null = null;

  private requestSync(): void {
    if (this.syncing) {
      this.syncWanted = true;
      return;
    }
    if (this.syncTimer !== null) return;
    this.syncTimer = setTimeout(() => this.startSync(), SYNC_WINDOW_MS);
    this.syncTimer.unref?.();
  }

  private startSync(): void {
    this.syncTimer = null;
    if (this.fd === null) return;
    this.syncing = true;
    this.syncWanted = false;
    fs.fdatasync(this.fd, (error) => {
      this.syncing = false;
      if (this.afterSync) {
        this.afterSync();
        this.afterSync = null;
        return;
      }
      if (error) throw error;
      if (this.syncWanted && this.fd !== null) this.requestSync();
    });
  }

  private open(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.fd = fs.openSync(this.file, "a+");
    this.healTornTail();
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
