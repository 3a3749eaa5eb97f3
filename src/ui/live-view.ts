// The compact live view on a terminal: event lines scroll above one status line that is
// redrawn at most 10 times a second (the full dashboard is a separate piece of work).
import { auditTime, interval, Subject, type Subscription } from "rxjs";
import type { Journal } from "../log/journal.ts";
import type { LoggedEvent } from "../log/event-types.ts";
import type { Paint } from "./colors.ts";
import { formatEvent } from "./event-line.ts";

const QUIET_ON_TTY = new Set(["progress_updated", "task_started", "task_spawned", "session_saved"]);

export class LiveView {
  private readonly running = new Map<string, number>();
  private done = 0;
  private total = 0;
  private statusShown = false;
  private readonly redraw$ = new Subject<void>();
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly p: Paint,
  ) {}

  attach(journal: Journal): void {
    this.subscriptions.push(
      journal.events$.subscribe((e) => this.onEvent(e)),
      this.redraw$.pipe(auditTime(100)).subscribe(() => this.drawStatus()),
      // Elapsed times move even when no event arrives.
      interval(1000).subscribe(() => this.redraw$.next()),
    );
  }

  /** Removes the status line and stops redrawing; the terminal is left as it was. */
  close(): void {
    for (const s of this.subscriptions) s.unsubscribe();
    this.clearStatus();
  }

  private onEvent(e: LoggedEvent): void {
    const d = e.data;
    if (e.event === "milestone_activated") this.total = Number(d.total_tasks);
    if (e.event === "task_started") this.running.set(String(d.task_id), Date.parse(e.ts));
    if (e.event === "task_completed" || e.event === "task_failed" || e.event === "task_retrying") this.running.delete(String(d.task_id));
    if (e.event === "progress_updated") {
      this.done = Number(d.tasks_completed);
      this.total = Number(d.total_tasks);
    }
    if (!QUIET_ON_TTY.has(e.event)) {
      this.clearStatus();
      this.out.write(`${formatEvent(e, this.p)}\n`);
    }
    this.redraw$.next();
  }

  private clearStatus(): void {
    if (this.statusShown) this.out.write("\r\x1b[2K");
    this.statusShown = false;
  }

  private drawStatus(): void {
    const width = Math.max(40, this.out.columns ?? 80);
    const pct = this.total ? this.done / this.total : 0;
    const bar = "█".repeat(Math.round(pct * 20)).padEnd(20, "░");
    const now = Date.now();
    const tasks = [...this.running].map(([id, since]) => `${id} ${Math.round((now - since) / 1000)}s`).join(", ");
    const line = `${bar} ${this.done}/${this.total} ${Math.floor(pct * 100)}%${tasks ? ` · running: ${tasks}` : ""}`;
    this.out.write(`\r\x1b[2K${this.p.cyan(line.slice(0, width - 1))}`);
    this.statusShown = true;
  }
}
