// `status <id> --watch`: the dashboard of a run that another process executes, fed by its event
// log (polled, as `log --follow` does) and by the milestone file and lock, re-read when they change.
import fs from "node:fs";
import { interval, Subject } from "../rx.ts";
import type { Layout } from "../store/layout.ts";
import { findMilestone } from "../store/find-milestone.ts";
import { lockIsLive, readLock } from "../store/lock.ts";
import { checkedStatusReport, type StatusReport } from "../cli/status-report.ts";
import { InputError } from "../errors.ts";
import type { LoggedEvent } from "../log/event-types.ts";
import type { Paint } from "./colors.ts";
import { Dashboard } from "./dashboard.ts";
import { initialState, reduce, STOP_STATUSES } from "./dashboard-state.ts";
import { formatEvent } from "./event-line.ts";
import { followLog } from "../log/follow-log.ts";

const REPORT_MS = 1000;

export interface WatchOptions {
  layout: Layout;
  id: string;
  /** The milestone as it is now (status.ts reads it first, so that a broken file ends the command before the view starts). */
  report: StatusReport;
  out: NodeJS.WriteStream;
  p: Paint;
  /** End once the milestone is in a stop state and no executor holds it. */
  exitOnStop: boolean;
}

/** Resolves with the stop state that ended the watch, or null when Ctrl-C did. */
export function watchRun({ layout, id, report: first, out, p, exitOnStop }: WatchOptions): Promise<string | null> {
  let report = first;
  let state = initialState(report);
  const events$ = new Subject<LoggedEvent>();
  // Off a terminal there is nothing to redraw: one line per event, as `log --follow` prints.
  const dashboard = out.isTTY ? new Dashboard(out, p, report, layout.project) : null;
  if (dashboard) dashboard.attach(events$);
  else events$.subscribe((e) => out.write(`${formatEvent(e, p)}\n`));

  return new Promise((resolve) => {
    let finished = false;
    const finish = (outcome: string | null) => {
      finished = true;
      following.unsubscribe();
      refreshing.unsubscribe();
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
      dashboard?.close();
      resolve(outcome);
    };
    const interrupted = () => finish(null);
    // A stop state in the log is the end only once the lock is gone: the next session may be
    // starting already, and the executor writes its last lines before it lets go.
    const checkEnd = () => {
      if (exitOnStop && STOP_STATUSES.has(state.status) && !report.executor) finish(state.status);
    };
    // The lock is a small file, read with every batch of events: a session that starts or ends
    // shows at once. The milestone file is read again only when it changed.
    const readExecutor = () => {
      const lock = readLock(layout.lock(id));
      report = { ...report, executor: lock && lockIsLive(lock) ? { pid: lock.pid, host: lock.host, since: lock.started_at } : null };
    };
    // A file broken while watched (someone is editing it) keeps the last good view; off a
    // terminal its problems are printed once per change of the file.
    const reread = async () => {
      try {
        report = await checkedStatusReport(layout, id);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        if (!dashboard) out.write(`${error.message}\n`);
        readExecutor();
      }
    };
    let seen = fileStamp(report.file);
    let reading = false;
    const refreshing = interval(REPORT_MS).subscribe(async () => {
      if (reading) return;
      const stamp = currentStamp(layout, id);
      if (stamp && stamp !== seen) {
        seen = stamp;
        reading = true;
        await reread().finally(() => (reading = false));
        if (finished) return;
      } else readExecutor();
      dashboard?.update(report);
      checkEnd();
    });
    const following = followLog(layout.eventLog(id), 0).subscribe((batch) => {
      readExecutor();
      dashboard?.update(report);
      for (const e of batch) {
        state = reduce(state, e);
        events$.next(e);
      }
      checkEnd();
    });
    process.on("SIGINT", interrupted);
    process.on("SIGTERM", interrupted);
  });
}

// The milestone file changes place on completion (active/ → completed/) and content as the run
// goes; either way it is read again.
function currentStamp(layout: Layout, id: string): string | null {
  try {
    return fileStamp(findMilestone(layout, id).file);
  } catch {
    return null;
  }
}

function fileStamp(file: string): string | null {
  try {
    const stat = fs.statSync(file);
    return `${file}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return null;
  }
}
