// Edits of the milestone file during a run (the dependencies agent's watch, DESIGN §3): each new
// text is validated exactly as `execute` would; a valid edit is applied to the running plan, an
// invalid one is reported and left on disk, untouched, for its author to fix.
import type { Subscription } from "../rx.ts";
import { formatProblem } from "../errors.ts";
import type { TaskEntry } from "../milestone/readiness.ts";
import type { Plan } from "../milestone/plan-types.ts";
import type { TaskStatus } from "../milestone/schema.ts";
import { diffPlan, type EditedPlan, type PlanDiff } from "../milestone/plan-edit.ts";
import { watchFile } from "../milestone/watch-file.ts";
import type { MilestoneWriter } from "../milestone/write-back.ts";

export interface PlanEditDeps {
  writer: MilestoneWriter;
  /** Validates a text of the milestone file as execute does. */
  reload(text: string): EditedPlan;
  /** Live statuses of the tasks, or null when the run is not at a point where it can take edits. */
  statuses(): ReadonlyMap<string, TaskStatus> | null;
  applied(plan: Plan, diff: PlanDiff, tasks: TaskEntry[]): void;
  rejected(problems: string[]): void;
}

export class PlanEdits {
  private subscription: Subscription | null = null;
  private open = true;

  constructor(
    private plan: Plan,
    private readonly deps: PlanEditDeps,
  ) {}

  /** The plan as edited so far. */
  get current(): Plan {
    return this.plan;
  }

  follow(file: string): this {
    this.subscription = watchFile(file, { known: (stats) => this.deps.writer.wrote(stats) }).subscribe((text) => this.consider(text));
    return this;
  }

  /** A text of the file that may be an edit (the writer's own writes are not). */
  consider(text: string): void {
    if (this.deps.writer.knows(text)) return;
    this.judge(text);
  }

  private judge(text: string): void {
    const { writer } = this.deps;
    const statuses = this.deps.statuses();
    if (!statuses) return;
    const edited = this.deps.reload(text);
    if (edited.ok === "later") {
      // Not ours to overwrite while it is being judged; judged again unless a newer text came.
      writer.hold(text);
      edited.ready.then(
        () => {
          if (this.open && writer.knows(text)) this.judge(text);
        },
        (error: Error) => this.deps.rejected([`${writer.path}: the edit could not be checked: ${error.message}`]),
      );
      return;
    }
    if (!edited.ok) {
      writer.hold(text);
      this.deps.rejected(edited.problems.map(formatProblem));
      return;
    }
    const diff = diffPlan(this.plan, edited.plan, statuses);
    if (diff.problems.length) {
      writer.hold(text);
      this.deps.rejected(diff.problems.map((p) => `${edited.plan.file}: ${p}`));
      return;
    }
    writer.adopt(text, () => edited.loaded.doc, edited.loaded.plain);
    this.plan = diff.plan;
    const tasks = diff.plan.tasks.map((t): TaskEntry => ({ id: t.id, deps: t.deps, retries: t.retries, onFailure: t.onFailure, status: statuses.get(t.id) ?? "pending", attempts: 0, ...(t.isolation === "shared" ? { exclusive: true } : {}) }));
    this.deps.applied(diff.plan, diff, tasks);
  }

  close(): void {
    this.open = false;
    this.subscription?.unsubscribe();
    this.subscription = null;
  }
}
