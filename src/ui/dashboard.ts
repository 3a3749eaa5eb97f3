// The terminal dashboard of `execute`, `resume` and `status --watch`: redrawn in place at most
// 10 times a second. Each frame moves the cursor back to the dashboard's first line and rewrites
// every line, clearing only what is left of each one, so nothing flickers and the scrollback
// above the dashboard is kept.
import path from "node:path";
import { auditTime, interval, Subject, type Observable, type Subscription } from "../rx.ts";
import type { AnyActorRef } from "xstate";
import type { LoggedEvent } from "../log/event-types.ts";
import type { StatusReport } from "../cli/status-report.ts";
import type { Paint } from "./colors.ts";
import { agentsFromEvents, initialState, reduce, withReport, type DashboardState } from "./dashboard-state.ts";
import { renderDashboard } from "./dashboard-render.ts";
import { agentsFromActor } from "./agents-from-actor.ts";
import { visibleWidth } from "./fit-line.ts";
import { tailLine } from "./tail-line.ts";

const FRAME_MS = 100;
// Elapsed times, the ETA and the tasks' output move without any event.
const TICK_MS = 500;
const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";
// Terminals that know synchronized output paint the frame at once; the others ignore it.
const BEGIN_FRAME = "\x1b[?2026h";
const END_FRAME = "\x1b[?2026l";

export class Dashboard {
  private state: DashboardState;
  private actor: AnyActorRef | null = null;
  /** Visible width of each line of the last frame: how far up the next frame starts. */
  private drawn: number[] = [];
  private readonly redraw$ = new Subject<void>();
  private readonly subscriptions: Subscription[] = [];
  private open = false;
  private readonly onResize = () => this.redraw$.next();
  private readonly restoreCursor = () => this.out.write(SHOW_CURSOR);

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly p: Paint,
    seed: StatusReport,
    /** Task log paths in events are relative to the project directory. */
    private readonly project: string,
  ) {
    this.state = initialState(seed);
  }

  /** Starts drawing. With an actor, the agents are read from its children; else from the events. */
  attach(events$: Observable<LoggedEvent>, actor?: AnyActorRef): void {
    this.actor = actor ?? null;
    this.open = true;
    // A process that exits some other way (an uncaught error, process.exit) must not leave the
    // user's terminal without a cursor.
    process.on("exit", this.restoreCursor);
    this.out.on("resize", this.onResize);
    this.subscriptions.push(
      events$.subscribe((e) => this.apply((s) => reduce(s, e))),
      this.redraw$.pipe(auditTime(FRAME_MS)).subscribe(() => this.draw()),
      interval(TICK_MS).subscribe(() => this.redraw$.next()),
    );
    this.redraw$.next();
  }

  /** Takes the milestone file's and the lock's news (status --watch re-reads them). */
  update(report: StatusReport): void {
    this.apply((s) => withReport(s, report));
  }

  get status(): string {
    return this.state.status;
  }

  /** Draws the final frame, leaves it on screen with the cursor below it and shown again. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    for (const s of this.subscriptions) s.unsubscribe();
    this.out.off("resize", this.onResize);
    this.draw();
    this.restoreCursor();
    process.off("exit", this.restoreCursor);
  }

  private apply(change: (s: DashboardState) => DashboardState): void {
    this.state = change(this.state);
    this.redraw$.next();
  }

  private draw(): void {
    const columns = Math.max(20, this.out.columns ?? 80);
    const rows = Math.max(5, this.out.rows ?? 24);
    const now = Date.now();
    const tails = new Map(
      this.state.running.filter((r) => r.log).map((r) => [r.id, tailLine(path.resolve(this.project, r.log!))] as const),
    );
    const agents = this.actor ? agentsFromActor(this.actor) : agentsFromEvents(this.state);
    const state = this.actor ? { ...this.state, status: lifecycle(this.actor, this.state.status) } : this.state;
    // One column spare: a line that fills the last column leaves the cursor in the terminal's
    // pending-wrap state, where clearing to end of line would erase that last character.
    // One row spare too: the frame ends with a newline, and a frame taller than the screen
    // would scroll its top out of reach of the cursor.
    const lines = renderDashboard({ state, agents, tails, now }, columns - 1, this.p, rows - 1);
    // After a resize a terminal that reflows (tmux, most modern ones) has rewrapped the last
    // frame's lines at the new width, so count the rows they take now.
    const up = this.drawn.reduce((sum, width) => sum + Math.max(1, Math.ceil(width / columns)), 0);
    const frame = lines.map((line) => `${line}\x1b[K\n`).join("");
    this.out.write(`${BEGIN_FRAME}${HIDE_CURSOR}${up ? `\x1b[${up}A` : ""}\r${frame}\x1b[J${END_FRAME}`);
    this.drawn = lines.map(visibleWidth);
  }
}

// The root's own state says more than the events between them (validating, completing).
function lifecycle(actor: AnyActorRef, fromEvents: string): string {
  const value = actor.getSnapshot().value;
  return typeof value === "string" && value !== "in_progress" && value !== "planned" ? value : fromEvents;
}
