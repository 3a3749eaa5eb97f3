// The `status --json` document (DESIGN §7). Scripts and CI rely on it, so it only ever grows.
import { parseData } from "../milestone/yaml-source.ts";
import fs from "node:fs";
import type { Layout } from "../store/layout.ts";
import { findMilestone, type FoundMilestone } from "../store/find-milestone.ts";
import { loadMilestoneQuickly } from "../milestone/read-milestone.ts";
import { forEachEventNamed } from "../log/read-log.ts";
import { readLock, lockIsLive } from "../store/lock.ts";
import { fileProgress, type FileProgress } from "./file-progress.ts";

export interface TaskReport {
  id: string;
  title: string;
  status: string;
  attempts: number;
  started_at: string | null;
  completed_at: string | null;
  commit: string | null;
}

export interface StatusReport {
  id: string;
  title: string;
  status: string;
  file: string;
  progress: FileProgress;
  tasks: TaskReport[];
  blockers: Array<{ type: string; detail: string; task: string | null; fix: string | null; detected_at: string | null }>;
  session_id: string | null;
  /** The executor holding the milestone now, if any. */
  executor: { pid: number; host: string; since: string } | null;
}

type RawTask = { id?: unknown; title?: unknown; status?: unknown; started_at?: unknown; completed_at?: unknown; commit?: unknown };

const str = (v: unknown): string | null => (typeof v === "string" ? v : v instanceof Date ? v.toISOString() : null);

/**
 * The report of a milestone whose file is checked as `validate` checks it: a broken file (YAML
 * syntax, schema, task graph) throws the loader's InputError, every problem at `file:line:col`.
 * For `status` and `status --watch`, which read a file someone may have just broken by hand.
 */
export async function checkedStatusReport(layout: Layout, id: string): Promise<StatusReport> {
  const found = findMilestone(layout, id);
  const loaded = await loadMilestoneQuickly(found.file, { expectedId: found.id });
  return reportOf(layout, found, loaded.data as Record<string, unknown>);
}

/** The report read leniently, for `execute`, which reads back a file it has just written itself. */
export function statusReport(layout: Layout, id: string): StatusReport {
  const found = findMilestone(layout, id);
  return reportOf(layout, found, (parseData(fs.readFileSync(found.file, "utf8")) ?? {}) as Record<string, unknown>);
}

function reportOf(layout: Layout, found: FoundMilestone, data: Record<string, unknown>): StatusReport {
  const id = found.id;
  const rawTasks = (Array.isArray(data.tasks) ? data.tasks : []) as RawTask[];
  const attempts = new Map<string, number>();
  forEachEventNamed(layout.eventLog(id), "task_started", (e) => attempts.set(String(e.data.task_id), Number(e.data.attempt) || 0));
  const tasks: TaskReport[] = rawTasks.map((t) => ({
    id: String(t.id),
    title: String(t.title ?? t.id),
    status: str(t.status) ?? "pending",
    attempts: attempts.get(String(t.id)) ?? 0,
    started_at: str(t.started_at),
    completed_at: str(t.completed_at),
    commit: str(t.commit),
  }));
  const lock = readLock(layout.lock(id));
  const execution = (data.execution ?? {}) as Record<string, unknown>;
  const blockers = (Array.isArray(data.blockers) ? data.blockers : []) as Array<Record<string, unknown>>;
  return {
    id,
    title: String(data.title ?? id),
    status: str(data.status) ?? "planned",
    file: found.file,
    progress: fileProgress(tasks.map((t) => t.status)),
    tasks,
    blockers: blockers.map((b) => ({
      type: String(b.type ?? "unknown"),
      detail: String(b.detail ?? ""),
      task: str(b.task),
      fix: str(b.fix),
      detected_at: str(b.detected_at),
    })),
    session_id: str(execution.session_id),
    executor: lock && lockIsLive(lock) ? { pid: lock.pid, host: lock.host, since: lock.started_at } : null,
  };
}
