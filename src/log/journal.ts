// The journal: every event of a run passes through one RxJS subject, in order, stamped with its
// sequence number. The event log, the milestone file, the snapshot and the terminal subscribe.
import { Subject } from "../rx.ts";
import type { JournalEntry } from "../../machines/journal-entry.ts";
import type { LoggedEvent } from "./event-types.ts";

export class Journal {
  readonly events$ = new Subject<LoggedEvent>();
  private seq: number;

  constructor(
    readonly milestoneId: string,
    readonly sessionId: string,
    lastSeq: number,
  ) {
    this.seq = lastSeq;
  }

  /** Stamps an entry and hands it to every subscriber synchronously. */
  record(entry: JournalEntry): LoggedEvent {
    const event: LoggedEvent = {
      v: 1,
      seq: ++this.seq,
      ts: new Date().toISOString(),
      milestone_id: this.milestoneId,
      session_id: this.sessionId,
      event: entry.event,
      data: entry.data,
    };
    this.events$.next(event);
    return event;
  }

  get lastSeq(): number {
    return this.seq;
  }

  close(): void {
    this.events$.complete();
  }
}
