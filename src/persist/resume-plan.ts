// How a run starts: exactly from a paused or blocked snapshot when nothing happened after it,
// otherwise from the task table reconciled from the newest snapshot and the event log.
import type { Layout } from "../store/layout.ts";
import type { Plan } from "../milestone/plan-types.ts";
import fs from "node:fs";
import { parseLog, parseLogAfter, progressSeqAt, readLogText } from "../log/read-log.ts";
import type { LoggedEvent } from "../log/event-types.ts";
import { loadNewestEnvelope } from "./snapshot-store.ts";
import { reconcile, tasksInSnapshot, type Reconciled } from "./reconcile.ts";
import type { Envelope } from "./envelope.ts";

export type ResumePlan = (
  | { kind: "exact"; envelope: Envelope }
  | { kind: "reconcile"; envelope: Envelope | null; reconciled: Reconciled; tornLines: number[]; refusedLines: Array<{ line: number; reason: string }> }
) & {
  lastSeq: number;
  /** The first seq the milestone file may lack (0: all of them): the file is written after the
   *  progress_updated logged at its progress.last_update, so it holds every event before that. */
  replayFromSeq: number;
  /** The log so far, the milestone file is brought up to date with it before the run: every
   *  event after the snapshot and after what the file holds, and before that only NEEDED_BEFORE. */
  events: LoggedEvent[];
};

const RESTORABLE_STATES = new Set(["paused", "blocked"]);

/** The first seq of the log `logText` that a milestone file whose progress.last_update is
 *  `fileLastUpdate` may lack: that of the first progress_updated logged at that time, else 0. */
export function replayStart(logText: string, fileLastUpdate: unknown): number {
  return (typeof fileLastUpdate === "string" ? progressSeqAt(logText, fileLastUpdate) : null) ?? 0;
}

// Before the replay start, the events a resume still needs: completions and commits (which tasks
// still owe a commit, and how many commits the milestone file counts), and where each task ran
// (the worktree a completed task that never landed left its work in).
const NEEDED_BEFORE = new Set(["task_completed", "task_committed", "auto_commit", "task_worktree"]);

/**
 * `fileLastUpdate`: the milestone file's progress.last_update. The file already holds every
 * event before the progress_updated logged at that time (`replayFromSeq`), and the snapshot
 * every event up to its seq, so of the lines before both only NEEDED_BEFORE are parsed. A time
 * no progress_updated of the log has (a hand edit, another log) replays everything, which is
 * always right: each event sets what it sets, whatever came before.
 */
export async function planResume(layout: Layout, plan: Plan, fileLastUpdate?: unknown): Promise<ResumePlan> {
  const text = readLogText(layout.eventLog(plan.milestoneId)) ?? "";
  const envelope = await loadNewestEnvelope(layout, plan.milestoneId);
  const replayFromSeq = replayStart(text, fileLastUpdate);
  const afterSeq = replayFromSeq === 0 ? 0 : Math.min(replayFromSeq - 1, envelope?.seq ?? 0);
  const { events, torn, lastSeq, refused = [] } = parseLogAfter(text, afterSeq, NEEDED_BEFORE, plan.milestoneId);
  if (envelope && RESTORABLE_STATES.has(String(envelope.snapshot.value)) && lastSeq <= envelope.seq && samePlan(envelope, plan)) {
    return { kind: "exact", envelope, lastSeq, replayFromSeq, events };
  }
  return { kind: "reconcile", envelope, reconciled: reconcile(plan.tasks, envelope, events), lastSeq, replayFromSeq, tornLines: torn, refusedLines: refused, events };
}

/** Whether there is any record of an earlier run to continue from. Every run that got going
 *  logged milestone_activated (or, blocked before its first task, milestone_blocked) among its
 *  first few lines, so the head of the log tells; the whole log is read once, later, by planResume. */
export function hasHistory(layout: Layout, milestoneId: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(layout.eventLog(milestoneId), "r");
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(HISTORY_HEAD_BYTES);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return parseLog(head.toString("utf8", 0, read)).events.some((e: LoggedEvent) => e.event === "milestone_activated" || e.event === "milestone_blocked");
  } finally {
    fs.closeSync(fd);
  }
}

const HISTORY_HEAD_BYTES = 64 * 1024;

function samePlan(envelope: Envelope, plan: Plan): boolean {
  const saved = tasksInSnapshot(envelope);
  if (saved.length !== plan.tasks.length) return false;
  const byId = new Map(saved.map((t) => [t.id, t]));
  return plan.tasks.every((t) => {
    const s = byId.get(t.id);
    return s !== undefined && s.retries === t.retries && s.deps.join("\0") === t.deps.join("\0");
  });
}
