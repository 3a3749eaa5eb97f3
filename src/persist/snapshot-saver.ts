// Saves the root actor's persisted snapshot as the run goes: throttled while it runs
// (throttle-writes.ts), so a 10,000-task snapshot never dominates the run, and at once on
// demand (pause, block, completion, exit). A resume reconciles the newest snapshot with the
// log lines after it, so a snapshot a second old loses nothing.
import { Subject, type Subscription } from "../rx.ts";
import { throttleWrites } from "../store/throttle-writes.ts";
import type { AnyActorRef } from "xstate";
import type { Layout } from "../store/layout.ts";
import type { Journal } from "../log/journal.ts";
import { MILESTONE_MACHINE_VERSION } from "../../machines/milestone.ts";
import { saveEnvelope } from "./snapshot-store.ts";
import type { Envelope } from "./envelope.ts";

export class SnapshotSaver {
  private readonly changed$ = new Subject<void>();
  private readonly subscriptions: Subscription[] = [];
  private lastSavedSeq = -1;
  bytesWritten = 0;
  saves = 0;

  constructor(
    private readonly layout: Layout,
    private readonly journal: Journal,
    minIntervalMs = 500,
  ) {
    this.subscriptions.push(
      throttleWrites(this.changed$, minIntervalMs, () => {
        const before = this.bytesWritten;
        this.save("checkpoint");
        return this.bytesWritten - before;
      }),
    );
  }

  private actor: AnyActorRef | null = null;

  follow(actor: AnyActorRef): this {
    this.actor = actor;
    this.subscriptions.push(this.journal.events$.subscribe(() => this.changed$.next()));
    return this;
  }

  /** Writes the snapshot now, unless nothing was recorded since the last one. */
  save(reason: string, force = false): void {
    if (!this.actor) return;
    if (!force && this.journal.lastSeq === this.lastSavedSeq) return;
    const envelope: Envelope = {
      schema: 1,
      machine: "milestone",
      version: MILESTONE_MACHINE_VERSION,
      milestone_id: this.journal.milestoneId,
      session_id: this.journal.sessionId,
      seq: this.journal.lastSeq,
      saved_at: new Date().toISOString(),
      save_reason: reason,
      snapshot: withoutStaleTasks(this.actor.getPersistedSnapshot() as unknown as Envelope["snapshot"]),
    };
    this.bytesWritten += saveEnvelope(this.layout, envelope);
    this.lastSavedSeq = this.journal.lastSeq;
    this.saves++;
  }

  close(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }
}

// While the executor runs, its rows are the task table; the root's copy is the one it started
// from, stale, and as big again. A snapshot taken then is only ever reconciled (never restored
// exactly: that happens from paused and blocked, where the root holds the table), and
// reconciling reads the executor's rows. So the copy is left out: half the bytes per save.
function withoutStaleTasks(snapshot: Envelope["snapshot"]): Envelope["snapshot"] {
  const children = snapshot.children as Record<string, unknown> | undefined;
  if (!children?.executor) return snapshot;
  return { ...snapshot, context: { ...(snapshot.context as Record<string, unknown>), tasks: [] } };
}
