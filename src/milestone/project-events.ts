// Projects journal events onto the milestone file: what the file says about status, tasks and
// progress always follows the event log. Edits are applied in memory at once and written to
// disk throttled (RxJS), and always on flush(). The event log is the record; the file is a view
// of it, so a write may lag (throttle-writes.ts says by how much).
import { Subject, type Observable, type Subscription } from "../rx.ts";
import { throttleWrites } from "../store/throttle-writes.ts";
import type { LoggedEvent } from "../log/event-types.ts";
import type { MilestoneWriter } from "./write-back.ts";

/** What a progress_updated sets in the file's `progress:` block: all of its fields. */
function progressFields(e: LoggedEvent): Array<[field: string, value: unknown]> {
  return [
    ["percentage", e.data.percentage],
    ["tasks_completed", e.data.tasks_completed],
    ["total_tasks", e.data.total_tasks],
    ["last_update", e.ts],
  ];
}

export class FileProjection {
  private readonly changed$ = new Subject<void>();
  private readonly subscriptions: Subscription[] = [];
  /** Tasks in progress, so a pause can put them back to pending in the file. */
  private readonly running = new Set<number>();
  /** Commits made for this milestone: replayed from the whole log at a resume, so counting
   *  them twice is impossible. */
  private readonly commits = new Set<string>();

  constructor(
    private readonly writer: MilestoneWriter,
    private readonly taskIndex: ReadonlyMap<string, number>,
    minIntervalMs = 250,
  ) {
    this.subscriptions.push(
      throttleWrites(this.changed$, minIntervalMs, () => {
        const before = this.writer.bytesWritten;
        this.writer.flush();
        return this.writer.bytesWritten - before;
      }),
    );
  }

  follow(events$: Observable<LoggedEvent>): this {
    this.subscriptions.push(events$.subscribe((event) => this.apply(event)));
    return this;
  }

  flush(): void {
    this.writer.flush();
  }

  /** Brings the file up to date with events of earlier runs: its writes are throttled, so a
   *  run killed between two writes left it behind the log. Events before `fromSeq` are in the
   *  file already (resume-plan.ts finds it); of those only the commits are counted. */
  catchUp(events: LoggedEvent[], fromSeq: number, requeued: string[]): void {
    // Each progress update overwrites the same four fields: when the file has them all (no update
    // appends one, so no field order depends on which updates are applied), only the last
    // counts. A resume of a 10,000-task run replays some 2,800 events, a quarter of them these.
    let lastProgress = events.length - 1;
    while (lastProgress >= 0 && events[lastProgress].event !== "progress_updated") lastProgress--;
    if (lastProgress !== -1 && !progressFields(events[lastProgress]).every(([field]) => this.writer.get(["progress", field]) !== undefined)) lastProgress = -1;
    events.forEach((e, index) => {
      if (e.seq >= fromSeq) {
        if (e.event !== "progress_updated" || lastProgress === -1 || index === lastProgress) this.apply(e);
      } else if ((e.event === "task_committed" || e.event === "auto_commit") && typeof e.data.sha === "string") this.commits.add(e.data.sha);
    });
    this.setStatus(requeued, "pending");
    this.running.clear();
  }

  close(): void {
    for (const s of this.subscriptions) s.unsubscribe();
    this.writer.flush();
  }

  /** The file's `blockers:` list as plain data. */
  blockers(): Array<{ type: string; detail: string; task: string | null; fix?: string; detected_at: string }> {
    const list = this.writer.get(["blockers"]);
    return Array.isArray(list) ? list : [];
  }

  private countCommit(sha: string, at: string): void {
    this.commits.add(sha);
    this.writer.set(["progress", "commits_count"], this.commits.size);
    this.writer.set(["progress", "last_commit_date"], at);
  }

  /** Sets the status of these tasks; none of them runs any more. */
  private setStatus(ids: string[], status: string): void {
    for (const id of ids) {
      const index = this.taskIndex.get(id);
      if (index === undefined) continue;
      this.running.delete(index);
      this.writer.setTask(index, "status", status);
    }
  }

  private apply(e: LoggedEvent): void {
    const w = this.writer;
    const task = typeof e.data.task_id === "string" ? this.taskIndex.get(e.data.task_id) : undefined;
    switch (e.event) {
      case "milestone_activated":
        w.set(["status"], "in_progress");
        if (w.get(["execution", "started_at"]) == null) w.set(["execution", "started_at"], e.ts);
        w.set(["execution", "session_id"], e.session_id);
        break;
      case "session_resumed":
        w.set(["execution", "session_id"], e.session_id);
        w.set(["execution", "resumed_at"], e.ts);
        break;
      case "tasks_interrupted":
        this.setStatus(((e.data.tasks as Array<{ task_id: string }>) ?? []).map((t) => t.task_id), "pending");
        break;
      case "task_started":
        if (task === undefined) return;
        this.running.add(task);
        w.setTask(task, "status", "in_progress");
        w.setTask(task, "started_at", e.ts);
        break;
      case "task_completed":
        if (task === undefined) return;
        this.running.delete(task);
        w.setTask(task, "status", "completed");
        w.setTask(task, "completed_at", e.ts);
        break;
      case "task_skipped":
        if (task === undefined) return;
        w.setTask(task, "status", "skipped");
        break;
      case "task_retry_requested":
        if (task === undefined) return;
        w.setTask(task, "status", "pending");
        break;
      case "task_failed":
        if (task === undefined) return;
        this.running.delete(task);
        w.setTask(task, "status", "failed");
        break;
      case "task_committed":
        if (task === undefined) return;
        if (typeof e.data.sha !== "string") return;
        w.setTask(task, "commit", e.data.sha);
        this.countCommit(e.data.sha, e.ts);
        break;
      case "auto_commit":
        if (typeof e.data.sha !== "string") return;
        this.countCommit(e.data.sha, e.ts);
        break;
      case "progress_updated":
        for (const [field, value] of progressFields(e)) w.set(["progress", field], value);
        break;
      case "milestone_paused":
        for (const index of this.running) w.setTask(index, "status", "pending");
        this.running.clear();
        w.set(["status"], "paused");
        break;
      case "blocker_detected": {
        const blockers = this.blockers().filter((b) => !(b.type === e.data.type && b.task === (e.data.task ?? null)));
        const detail = e.data.type === "task_failed" ? `task ${e.data.task} failed after ${e.data.attempts} attempt(s)` : String(e.data.detail ?? "");
        const fix = typeof e.data.fix === "string" ? { fix: e.data.fix } : {};
        blockers.push({ type: String(e.data.type), detail, task: (e.data.task as string) ?? null, ...fix, detected_at: e.ts });
        w.set(["blockers"], blockers);
        break;
      }
      case "blocker_cleared":
        w.set(["blockers"], this.blockers().filter((b) => !(b.type === e.data.type && b.task === (e.data.task ?? null))));
        break;
      case "tasks_blocked":
        this.setStatus((e.data.task_ids as string[]) ?? [], "blocked");
        break;
      case "milestone_blocked":
        w.set(["status"], "blocked");
        break;
      case "milestone_failed":
        w.set(["status"], "failed");
        break;
      case "milestone_cancelled":
        w.set(["status"], "cancelled");
        break;
      case "milestone_completed":
        // execution.completed_at was written by the finalize step, in the same atomic write
        // that moved the file to completed/.
        w.set(["status"], "completed");
        break;
      default:
        return;
    }
    this.changed$.next();
  }
}
