// Wires the world into the charts: the journal, processes, timers, signals and files that
// machines/ only names. One run of one milestone: start, wait for a stop state, clean up.
import fs from "node:fs";
import path from "node:path";
import process from "node:process";
import { createActor, fromCallback, fromPromise, type SnapshotFrom } from "xstate";
import { interval, timer } from "rxjs";
import type { Document } from "yaml";
import { milestoneMachine, STOP_STATES, type MilestoneContext, type StopState } from "../machines/milestone.ts";
import { taskMachine, type AttemptEvent } from "../machines/task.ts";
import { executorMachine } from "../machines/agents/executor.ts";
import { progressMachine } from "../machines/agents/progress.ts";
import type { JournalEntry } from "../machines/journal-entry.ts";
import { Journal } from "./log/journal.ts";
import { EventLogWriter } from "./log/event-log-writer.ts";
import { readLog } from "./log/read-log.ts";
import { MilestoneWriter } from "./milestone/write-back.ts";
import { FileProjection } from "./milestone/project-events.ts";
import type { Plan, PlanTask } from "./milestone/plan-types.ts";
import type { TaskEntry } from "./milestone/readiness.ts";
import { findEnabledMilestones } from "./store/enabled-milestones.ts";
import { writeFileAtomic } from "./store/atomic-write.ts";
import { HEARTBEAT_MS, type HeldLock } from "./store/lock.ts";
import type { Layout } from "./store/layout.ts";
import { ExitError } from "./errors.ts";
import { EXIT } from "./cli/exit-codes.ts";
import { startAttempt, describeFailure, type AttemptHandle } from "./exec/index.ts";

// Deno's words for a refused permission: "... run again with the --allow-env flag".
const DENO_PERMISSION = /run again with the --allow-[a-z]+ flag/;

export interface RunOptions {
  layout: Layout;
  plan: Plan;
  /** The parsed milestone file, edited in place as the run goes, and its original text. */
  doc: Document;
  text: string;
  sessionId: string;
  concurrency: number;
  backoffMs: number;
  /** How long a stopped task gets between SIGTERM and SIGKILL. */
  killGraceMs: number;
  lock: HeldLock;
  /** Called once the journal exists, before anything runs: the terminal view subscribes here. */
  watch?: (journal: Journal) => void;
}

export interface RunResult {
  state: StopState;
  context: MilestoneContext;
  bytes: { log: number; milestone: number };
}

export async function runMilestone(options: RunOptions): Promise<RunResult> {
  const { layout, plan, sessionId, lock } = options;
  const id = plan.milestoneId;
  const tasksById = new Map<string, PlanTask>(plan.tasks.map((t) => [t.id, t]));
  // Attempt numbers continue across runs so that no attempt's log file is overwritten.
  const earlier = readLog(layout.eventLog(id)).events;
  const attempts = new Map<string, number>();
  for (const e of earlier) if (e.event === "task_started") attempts.set(String(e.data.task_id), Number(e.data.attempt));
  const journal = new Journal(id, sessionId, earlier.at(-1)?.seq ?? 0);
  const log = new EventLogWriter(layout.eventLog(id)).follow(journal.events$);
  const writer = new MilestoneWriter(options.doc, plan.file, options.text);
  const projection = new FileProjection(writer, new Map(plan.tasks.map((t) => [t.id, t.index]))).follow(journal.events$);
  journal.events$.subscribe((e) => {
    if (e.event === "milestone_activated") writeFileAtomic(layout.currentFile, `${id}\n`);
  });
  if (lock.takenOverFrom) {
    journal.record({ event: "lock_taken_over", data: { previous_pid: lock.takenOverFrom.pid, previous_host: lock.takenOverFrom.host } });
  }
  options.watch?.(journal);

  const running = new Set<AttemptHandle>();
  // A run that cannot go on whatever the tasks do (Deno refused a permission): pause, then raise.
  let fatal: ExitError | null = null;
  const stopping: Promise<void>[] = [];
  const record = (_: unknown, entry: JournalEntry) => void journal.record(entry);
  const relative = (file: string) => path.relative(layout.project, file);

  const runAttempt = fromCallback<{ type: "stop" }, { taskId: string; attempt: number }>(({ input, sendBack }) => {
    const task = tasksById.get(input.taskId)!;
    const logFile = layout.taskLog(id, task.id, input.attempt);
    const startedAt = Date.now();
    const deadline = task.timeoutMs === null ? null : startedAt + task.timeoutMs;
    const handle = startAttempt({
      command: task.command,
      verify: task.verify,
      cwd: task.cwd,
      env: task.env,
      logFile,
      deadline,
      killGraceMs: options.killGraceMs,
    });
    running.add(handle);
    let stopped = false;
    sendBack({
      type: "attempt.started",
      pid: handle.pid,
      pgid: handle.pgid,
      at: new Date(startedAt).toISOString(),
      deadline: deadline === null ? null : new Date(deadline).toISOString(),
      log: relative(logFile),
    } satisfies AttemptEvent);
    handle.done.then((result) => {
      running.delete(handle);
      if (stopped) return;
      if (!result.ok && result.reason === "spawn" && DENO_PERMISSION.test(result.message)) {
        fatal ??= new ExitError(`missing Deno permission: ${result.message}`, EXIT.badInput, "add that flag to the deno run command");
        actor.send({ type: "PAUSE", reason: "missing Deno permission" });
        return;
      }
      const at = new Date().toISOString();
      sendBack(
        (result.ok
          ? { type: "attempt.succeeded", at }
          : { type: "attempt.failed", at, reason: result.reason, detail: describeFailure(result) }) satisfies AttemptEvent,
      );
    });
    return () => {
      if (!running.has(handle)) return;
      stopped = true;
      stopping.push(handle.stop(options.killGraceMs));
    };
  });

  const waitUntil = fromCallback<{ type: "stop" }, { at: string }>(({ input, sendBack }) => {
    const subscription = timer(new Date(input.at)).subscribe(() => sendBack({ type: "deadline.reached" }));
    return () => subscription.unsubscribe();
  });

  // Signals pause the run: the first one drains (no new work, running tasks are stopped), a
  // second one stops what is still running at once. The lock's heartbeat runs here too.
  const session = fromCallback<{ type: "stop" }, { milestoneId: string; sessionId: string }>(({ sendBack }) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) sendBack({ type: "PAUSE", reason: signal });
      else for (const handle of running) stopping.push(handle.stop(0));
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const heartbeat = interval(HEARTBEAT_MS).subscribe(() => lock.heartbeat());
    return () => {
      heartbeat.unsubscribe();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    };
  });

  const checkRequirements = fromPromise<{ unmet: string[] }, { requires: string[] }>(async ({ input }) => ({
    unmet: input.requires.filter((r) => !fs.existsSync(layout.completed(r))),
  }));

  const finalize = fromPromise<{ enables: string[] }, { milestoneId: string }>(async () => {
    writer.set(["status"], "completed");
    writer.set(["progress", "percentage"], 100);
    fs.mkdirSync(layout.completedDir, { recursive: true });
    writer.relocate(layout.completed(id));
    if (readText(layout.currentFile)?.trim() === id) fs.rmSync(layout.currentFile, { force: true });
    return { enables: findEnabledMilestones(layout, id) };
  });

  const machine = milestoneMachine.provide({
    actions: { record },
    actors: {
      executor: executorMachine.provide({
        actors: { task: taskMachine.provide({ actions: { record }, actors: { runAttempt, waitUntil } }) },
      }),
      progress: progressMachine.provide({ actions: { record } }),
      session,
      checkRequirements,
      finalize,
    },
  });

  const actor = createActor(machine, {
    input: {
      milestoneId: id,
      sessionId,
      tasks: plan.tasks.map((t): TaskEntry => ({ id: t.id, deps: t.deps, retries: t.retries, status: t.status, attempts: attempts.get(t.id) ?? 0 })),
      requires: plan.requires,
      concurrency: options.concurrency,
      backoffMs: options.backoffMs,
    },
  });

  let final: SnapshotFrom<typeof machine>;
  try {
    final = await new Promise<SnapshotFrom<typeof machine>>((resolve, reject) => {
      const subscription = actor.subscribe({
        next(snapshot) {
          if (STOP_STATES.includes(snapshot.value as StopState)) {
            subscription.unsubscribe();
            resolve(snapshot);
          }
        },
        error: reject,
      });
      actor.start();
      actor.send({ type: "START" });
    });
  } finally {
    actor.stop();
    for (const handle of running) stopping.push(handle.stop(options.killGraceMs));
    await Promise.all(stopping);
    projection.close();
    log.close();
    journal.close();
  }
  if (fatal) throw fatal;
  return {
    state: final.value as StopState,
    context: final.context,
    bytes: { log: log.bytesWritten, milestone: writer.bytesWritten },
  };
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
