// Wires the world into the charts: the journal, processes, timers, signals and files that
// machines/ only names. One run of one milestone: start (fresh, reconciled or restored
// exactly), wait for a stop state, save the snapshot, clean up.
import path from "node:path";
import { createActor, fromPromise, type AnyActorRef, type SnapshotFrom } from "xstate";
import type { Document } from "yaml";
import { milestoneMachine, STOP_STATES, type MilestoneContext, type StopState } from "../machines/milestone.ts";
import { executorMachine } from "../machines/agents/executor.ts";
import { progressMachine } from "../machines/agents/progress.ts";
import { progressOf } from "./milestone/progress.ts";
import type { JournalEntry } from "../machines/journal-entry.ts";
import { Journal } from "./log/journal.ts";
import { EventLogWriter } from "./log/event-log-writer.ts";
import { MilestoneWriter } from "./milestone/write-back.ts";
import { FileProjection } from "./milestone/project-events.ts";
import type { Plan, PlanTask } from "./milestone/plan-types.ts";
import { isSettledForGood, type TaskEntry } from "./milestone/readiness.ts";
import { closeLauncher, type AttemptResult } from "./exec/index.ts";
import { writeFileAtomic } from "./store/atomic-write.ts";
import type { HeldLock } from "./store/lock.ts";
import type { Layout } from "./store/layout.ts";
import { ExitError } from "./errors.ts";
import { tuneV8 } from "./tune-v8.ts";
import { EXIT } from "./cli/exit-codes.ts";
import { attemptsActor, type AttemptRegistry } from "./actors/attempts-actor.ts";
import { waitUntilActor } from "./actors/wait-until-actor.ts";
import { sessionActor } from "./actors/session-actor.ts";
import { finalizeActor } from "./actors/finalize-actor.ts";
import { checkRequirementsActor } from "./actors/check-requirements-actor.ts";
import { SnapshotSaver } from "./persist/snapshot-saver.ts";
import { writeSessionRecord } from "./persist/session-record.ts";
import { killOrphans } from "./persist/kill-orphans.ts";
import type { ResumePlan } from "./persist/resume-plan.ts";
import { tasksInSnapshot } from "./persist/reconcile.ts";
import { gitMachine } from "../machines/agents/git.ts";
import { blockersMachine } from "../machines/agents/blockers.ts";
import { GitWork } from "./actors/git-work.ts";
import { preflightActor, probeActor, runTestsActor, type ProbeDeps } from "./actors/probe-actors.ts";
import type { GitSettings } from "./git/git-settings.ts";
import type { ResolvedChecks } from "./probes/resolve-checks.ts";
import { toEntry } from "./milestone/blockers.ts";
import type { LoggedEvent } from "./log/event-types.ts";
import { PlanEdits } from "./actors/follow-plan-edits.ts";
import type { EditedPlan } from "./milestone/plan-edit.ts";
import type { TaskStatus } from "./milestone/schema.ts";

// Deno's words for a refused permission: "... run again with the --allow-env flag".
const DENO_PERMISSION = /run again with the --allow-[a-z]+ flag/;

export interface RunOptions {
  layout: Layout;
  plan: Plan;
  /** The milestone file's text, and its yaml Document (built on demand: plain files never need it). */
  text: string;
  doc: () => Document;
  /** The text is in the plain YAML subset (the loader read it so). */
  plain: boolean;
  sessionId: string;
  concurrency: number;
  failFast: boolean;
  backoffMs: number;
  /** How long a stopped task gets between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** How long running tasks may go on after a pause was asked for. */
  graceMs: number;
  lock: HeldLock;
  resume: ResumePlan;
  git: GitSettings;
  /** Where task worktrees live, and the command that sets up a new one. */
  worktrees: { dir: string; setup: string | null };
  checks: ResolvedChecks;
  /** Validates an edited text of the milestone file as execute does; without it, edits during
   *  the run are not followed. */
  reloadPlan?: (text: string) => EditedPlan;
  /** Receives XState inspection events (the Stately inspector bridge, --inspect). */
  inspect?: (event: unknown) => void;
  /** Called once the journal exists, before anything runs: the terminal view subscribes here. */
  watch?: (journal: Journal, actor: AnyActorRef) => void;
}

export interface RunResult {
  state: StopState;
  /** The milestone branch and the branch of the person's checkout, when the run used git. */
  review: { branch: string; checkout: string | null } | null;
  context: MilestoneContext;
  bytes: { log: number; milestone: number; snapshots: number };
}

export async function runMilestone(options: RunOptions): Promise<RunResult> {
  const { layout, plan, sessionId, lock, resume } = options;
  const id = plan.milestoneId;
  tuneV8();
  const journal = new Journal(id, sessionId, resume.lastSeq);
  const log = new EventLogWriter(layout.eventLog(id)).follow(journal.events$);
  let planEdits: PlanEdits | null = null;
  const writer = new MilestoneWriter(plan.file, options.text, {
    onEdited: (text) => planEdits?.consider(text),
    // Out of the write under way: the event's own projection may write the file again.
    onDeleted: () => queueMicrotask(() => journal.record({ event: "milestone_file_recreated", data: { file: path.relative(layout.project, plan.file) } })),
    doc: options.doc,
    plain: options.plain,
  });
  const taskIndex = new Map(plan.tasks.map((t) => [t.id, t.index]));
  const projection = new FileProjection(writer, taskIndex).follow(journal.events$);
  const saver = new SnapshotSaver(layout, journal);
  projection.catchUp(resume.events, resume.replayFromSeq, resume.kind === "reconcile" ? resume.reconciled.inFlight.map((f) => f.taskId) : []);
  // A person retried or skipped a failed task: its blocker is gone (execute refuses to start
  // while one remains).
  const statusOf = new Map((resume.kind === "reconcile" ? resume.reconciled.tasks : tasksInSnapshot(resume.envelope)).map((t) => [t.id, t.status]));
  const cleared = projection.blockers().filter((b) => b.type === "task_failed" && b.task && statusOf.get(b.task) !== "failed");
  journal.events$.subscribe((e) => {
    if (e.event === "milestone_activated") writeFileAtomic(layout.currentFile, `${id}\n`);
  });

  const registry: AttemptRegistry = { running: new Set(), stopping: [], started: new Map() };
  // A run that cannot go on whatever the tasks do (Deno refused a permission): pause, then raise.
  let fatal: ExitError | null = null;
  const isFatal = (result: AttemptResult) => {
    if (result.ok || result.reason !== "spawn" || !DENO_PERMISSION.test(result.message)) return false;
    fatal ??= new ExitError(`missing Deno permission: ${result.message}`, EXIT.badInput, "add that flag to the deno run command");
    actor.send({ type: "PAUSE", reason: "missing Deno permission", graceUntil: new Date().toISOString() });
    return true;
  };
  const record = (_: unknown, entry: JournalEntry) => void journal.record(entry);
  const tasksById = new Map<string, PlanTask>(plan.tasks.map((t) => [t.id, t]));
  // A push that failed is still owed: the resume that the blocker asks for pushes, whatever its flags.
  const owesPush = projection.blockers().some((b) => b.type === "push_failed");
  const git = new GitWork({
    settings: owesPush ? { ...options.git, push: true } : options.git,
    projectDir: layout.project,
    milestoneId: id,
    requires: plan.requires,
    tasks: tasksById,
    worktreesDir: options.worktrees.dir,
    setup: options.worktrees.setup,
    setupLog: (worktree) => path.join(layout.taskLogDir(id), `worktree-setup.${worktree}.log`),
    lastWorktrees: lastWorktrees(resume.events),
    record: (entry) => void journal.record(entry),
  });
  const attempts = attemptsActor({
    layout, milestoneId: id, sessionId, tasks: tasksById, killGraceMs: options.killGraceMs, registry, isFatal,
    workdir: (taskId, attempt, resolving) => git.workdir(taskId, attempt, resolving),
    conflictPrompt: (taskId, files) => git.conflictPrompt(taskId, files),
  });
  const probes: ProbeDeps = { projectDir: layout.project, checks: options.checks, git, registry, logDir: layout.taskLogDir(id) };

  const machine = milestoneMachine.provide({
    actions: { record },
    actors: {
      executor: executorMachine.provide({
        actions: { record },
        actors: { attempts, waitUntil: waitUntilActor },
        guards: { commitsTasks: () => git.committing },
      }),
      progress: progressMachine.provide({ actions: { record } }),
      git: gitMachine.provide({
        actions: { record },
        actors: {
          commitTask: fromPromise(({ input }: { input: { taskId: string } }) => git.commitTask(input.taskId)),
          checkpoint: fromPromise(() => git.checkpoint([...registry.started.keys()])),
          waitUntil: waitUntilActor,
        },
      }),
      blockers: blockersMachine.provide({
        actions: { record },
        actors: { probe: probeActor(probes), runTests: runTestsActor(probes), waitUntil: waitUntilActor },
      }),
      preflight: preflightActor(probes, uncommittedTasks(statusOf, resume.events)),
      publish: fromPromise(() => git.publish()),
      session: sessionActor(lock, options.graceMs),
      checkRequirements: checkRequirementsActor(layout),
      finalize: finalizeActor(layout, writer),
    },
  });

  const input = {
    milestoneId: id,
    sessionId,
    tasks: resume.kind === "reconcile" ? resume.reconciled.tasks : ([] as TaskEntry[]),
    requires: plan.requires,
    concurrency: options.concurrency,
    failFast: options.failFast,
    backoffMs: options.backoffMs,
    blockers: projection
      .blockers()
      .filter((b) => !cleared.some((c) => c.type === b.type && c.task === b.task))
      .map((b) => toEntry(b, b.detected_at)),
    checks: {
      intervalMs: options.checks.intervalMs,
      testOn: options.checks.test ? options.checks.testOn : ("never" as const),
      testIntervalMs: options.checks.testIntervalMs,
    },
    git: { checkpointIntervalMs: options.git.off ? null : options.git.checkpointIntervalMs },
  };
  const inspect = options.inspect as never;
  const actor =
    resume.kind === "exact"
      ? createActor(machine, { input, inspect, snapshot: resume.envelope.snapshot as never })
      : createActor(machine, { input, inspect });
  saver.follow(actor);
  options.watch?.(journal, actor);
  if (options.reloadPlan) {
    planEdits = new PlanEdits(plan, {
      writer,
      reload: options.reloadPlan,
      statuses: () => liveStatuses(actor),
      applied: (next, diff, tasks) => {
        tasksById.clear();
        taskIndex.clear();
        for (const t of next.tasks) {
          tasksById.set(t.id, t);
          taskIndex.set(t.id, t.index);
        }
        const ids = (list: PlanTask[]) => list.map((t) => t.id);
        actor.send({ type: "PLAN_UPDATED", tasks, added: ids(diff.added), changed: ids(diff.changed), removed: diff.removed, ignored: diff.ignored });
      },
      rejected: (problems) => actor.send({ type: "PLAN_INVALID", problems }),
    }).follow(plan.file);
  }
  if (lock.takenOverFrom) {
    journal.record({ event: "lock_taken_over", data: { previous_pid: lock.takenOverFrom.pid, previous_host: lock.takenOverFrom.host } });
  }

  if (resume.kind === "reconcile" && (resume.envelope || resume.lastSeq > 0)) {
    // Nothing of the dead run may work beside the new one: its orphans go before dispatch.
    const killed = await killOrphans(layout.project, id, resume.reconciled.inFlight);
    journal.record({
      event: "session_resumed",
      data: {
        from: resume.envelope ? { session_id: resume.envelope.session_id, seq: resume.envelope.seq } : null,
        replayed_events: resume.reconciled.replayed,
        completed_since_snapshot: resume.reconciled.completedSinceSnapshot,
        requeued: resume.reconciled.inFlight.map((f) => ({ task_id: f.taskId, attempt: f.attempt })),
        killed_process_groups: killed,
        torn_lines: resume.tornLines,
        refused_lines: resume.refusedLines,
      },
    });
    // A run killed between a task_completed and the progress_updated after it left the file's
    // progress one task behind; with nothing left to run, no later progress_updated would fix it.
    journal.record({ event: "progress_updated", data: progressOf(resume.reconciled.tasks.map((t) => t.status)) });
  }
  for (const b of cleared) journal.record({ event: "blocker_cleared", data: { type: b.type, task: b.task } });
  if (resume.kind === "exact") {
    journal.record({ event: "session_resumed", data: { from: { session_id: resume.envelope.session_id, seq: resume.envelope.seq }, exact: true } });
  }

  let final: SnapshotFrom<typeof machine>;
  let review: RunResult["review"] = null;
  try {
    final = await new Promise<SnapshotFrom<typeof machine>>((resolve, reject) => {
      // Started before subscribing: a restored actor starts in `paused`, which is not this run's end.
      actor.start();
      const subscription = actor.subscribe({
        next(snapshot) {
          if (STOP_STATES.includes(snapshot.value as StopState)) {
            subscription.unsubscribe();
            resolve(snapshot);
          }
        },
        error: reject,
      });
      actor.send(resume.kind === "exact" ? { type: "RESUME" } : { type: "START" });
    });
    const state = final.value as StopState;
    // The file first: a crash while the snapshot is written must not leave it behind the log.
    projection.flush();
    if (state !== "rejected") {
      // Recorded first, so that the snapshot includes it and a restore finds nothing after it.
      journal.record({ event: "session_saved", data: { reason: state, snapshot: `sessions/${sessionId}.json` } });
      saver.save(state, true);
      writeSessionRecord(layout, {
        sessionId,
        milestoneId: id,
        status: state,
        reason: state,
        progress: progressOf(final.context.tasks.map((t) => t.status)),
        nextTasks: nextTasks(final.context.tasks),
      });
    }
  } finally {
    planEdits?.close();
    actor.stop();
    for (const handle of registry.running) registry.stopping.push(handle.stop(options.killGraceMs));
    await Promise.all(registry.stopping);
    await git.idle();
    review = await git.review().catch(() => null);
    await git.finish().catch((error) => journal.record({ event: "git_cleanup_failed", data: { detail: String((error as Error).message ?? error) } }));
    closeLauncher();
    saver.close();
    projection.close();
    log.close();
    journal.close();
  }
  if (fatal) throw fatal;
  return {
    state: final.value as StopState,
    review,
    context: final.context,
    bytes: { log: log.bytesWritten, milestone: writer.bytesWritten, snapshots: saver.bytesWritten },
  };
}

/** The executor's task statuses while the run can take a plan edit (in progress), else null. */
function liveStatuses(actor: AnyActorRef): Map<string, TaskStatus> | null {
  const snapshot = actor.getSnapshot();
  if (snapshot.value !== "in_progress") return null;
  const rows = snapshot.children.executor?.getSnapshot()?.context?.rows as Record<string, { status: TaskStatus }> | undefined;
  return rows ? new Map(Object.entries(rows).map(([id, row]) => [id, row.status])) : null;
}

/** Tasks an earlier run logged as completed but whose commit was never made (a crash, or a
 *  conflict, came between the two). */
function uncommittedTasks(statusOf: Map<string, string>, events: LoggedEvent[]): string[] {
  const completed = new Set<string>();
  for (const e of events) {
    const task = e.data.task_id as string | undefined;
    if (!task) continue;
    if (e.event === "task_completed") completed.add(task);
    if (e.event === "task_committed") completed.delete(task);
  }
  return [...completed].filter((t) => statusOf.get(t) === "completed");
}


/** The worktree each task last ran in, as the log says (`task_worktree`). */
function lastWorktrees(events: LoggedEvent[]): Map<string, string> {
  const where = new Map<string, string>();
  for (const e of events) if (e.event === "task_worktree") where.set(String(e.data.task_id), String(e.data.worktree));
  return where;
}

/** Tasks a resume would start first: pending, with every dependency done. */
function nextTasks(tasks: TaskEntry[]): string[] {
  const done = new Set(tasks.filter(isSettledForGood).map((t) => t.id));
  return tasks.filter((t) => !done.has(t.id) && t.deps.every((d) => done.has(d))).map((t) => t.id);
}
