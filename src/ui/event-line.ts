// One readable line per event of the log: what `execute` prints off a terminal and what `log`
// prints by default.
import type { LoggedEvent } from "../log/event-types.ts";
import type { Paint } from "./colors.ts";

const clock = (ts: string) => ts.slice(11, 19);
const seconds = (ms: unknown) => (typeof ms === "number" ? ` in ${(ms / 1000).toFixed(1)}s` : "");

export function formatEvent(e: LoggedEvent, p: Paint): string {
  const d = e.data;
  const task = String(d.task_id ?? "");
  const body = ((): string => {
    switch (e.event) {
      case "milestone_activated":
        return `${p.bold(`▶ ${e.milestone_id}`)} started: ${d.total_tasks} tasks, concurrency ${d.concurrency}`;
      case "task_started":
        return `${p.cyan("→")} ${task} started (attempt ${d.attempt})`;
      case "task_spawned":
        return `${p.dim(`  ${task} running as pid ${d.pid}, output in ${d.log}`)}`;
      case "tasks_interrupted": {
        const tasks = Array.isArray(d.tasks) ? d.tasks.map((t: { task_id: string }) => t.task_id).join(", ") : "";
        return `${p.yellow("⏹")} stopped ${tasks || "no tasks"}; they run again on resume`;
      }
      case "session_resumed": {
        if (d.exact) return `${p.bold("↺ resumed")} exactly from the saved state (seq ${(d.from as { seq: number }).seq})`;
        const requeued = Array.isArray(d.requeued) ? d.requeued.length : 0;
        const killed = Array.isArray(d.killed_process_groups) ? d.killed_process_groups.length : 0;
        const refused = Array.isArray(d.refused_lines) && d.refused_lines.length
          ? `; ${d.refused_lines.length} log line(s) that are not this milestone's refused (${(d.refused_lines as Array<{ line: number; reason: string }>).slice(0, 3).map((r) => `line ${r.line}: ${r.reason}`).join("; ")})`
          : "";
        return `${p.bold("↺ resumed")}: ${d.replayed_events} logged events replayed, ${requeued} interrupted task(s) queued again, ${killed} leftover process group(s) killed${refused}`;
      }
      case "task_skipped":
        return `${p.yellow("↷")} ${task} skipped by hand (was ${d.previous_status}); its dependents may run`;
      case "task_merge_requested":
        return `${p.yellow("↻")} ${task}'s branch will be merged again on resume`;
      case "task_retry_requested":
        return `${p.yellow("↻")} ${task} will get a fresh set of attempts (was ${d.previous_status})`;
      case "session_saved":
        return p.dim(`state saved (${d.reason}) to .milestones/${d.snapshot}`);
      case "task_completed":
        return `${p.green("✔")} ${task} completed${seconds(d.duration_ms)}`;
      case "task_retrying":
        return `${p.yellow("↻")} ${task} attempt ${d.attempt} ${d.detail}; attempt ${d.next_attempt} at ${clock(String(d.retry_at))}`;
      case "task_failed":
        return `${p.red("✖")} ${task} failed: ${d.detail} (attempt ${d.attempt})`;
      case "progress_updated":
        return `${p.dim(`progress ${d.tasks_completed}/${d.total_tasks} (${d.percentage}%)`)}`;
      case "milestone_pausing":
        return `${p.yellow("⏸")} pausing (${d.reason}): nothing new starts; running tasks may finish until ${clock(String(d.grace_until))} (Ctrl-C again stops them now)`;
      case "milestone_paused":
        return `${p.yellow("⏸")} ${e.milestone_id} paused, ${d.pending_tasks} tasks left`;
      case "milestone_completed": {
        const enables = Array.isArray(d.enables) && d.enables.length ? `; now startable: ${d.enables.join(", ")}` : "";
        return `${p.green(p.bold(`✔ ${e.milestone_id} completed`))}${enables}`;
      }
      case "milestone_failed": {
        const failed = Array.isArray(d.failed_tasks) ? d.failed_tasks.join(", ") : "";
        return p.red(p.bold(`✖ ${e.milestone_id} failed${failed ? `: ${failed}` : ""}${d.error ? `: ${d.error}` : ""}`));
      }
      case "git_branch": {
        const merged = Array.isArray(d.merged) && d.merged.length ? `, with ${d.merged.join(", ")} merged in` : "";
        return `${p.dim("git")} tasks land on ${d.branch}${d.created ? ` (new, from ${String(d.from ?? "an empty history").slice(0, 12)}${merged})` : ""}`;
      }
      case "checkout_uncommitted":
        return `${p.yellow("!")} ${d.files} uncommitted or untracked file(s) in your checkout are not part of ${d.branch}: tasks start from its commits`;
      case "worktree_created":
        return p.dim(`git: new worktree ${d.worktree}${d.included ? `, ${d.included} file(s) from .worktreeinclude` : ""}${d.setup ? ", set up" : ""}`);
      case "worktree_removed":
        return p.dim(`git: worktree ${d.worktree} removed`);
      case "task_worktree":
        return p.dim(`  ${task} works in ${d.worktree} at ${String(d.base).slice(0, 12)}`);
      case "task_merged":
        return `${p.dim("git")} ${task} landed as ${String(d.sha).slice(0, 12)}${d.fast_forward ? "" : " (merged)"}`;
      case "git_skipped":
        return p.dim(`git: no commits (${d.reason})`);
      case "task_committed":
        return d.sha ? `${p.dim("git")} ${task} committed as ${String(d.sha).slice(0, 12)}${d.existing ? " (found from an earlier run)" : ""}` : p.dim(`git: ${task} changed nothing, no commit`);
      case "auto_commit":
        return `${p.dim("git")} checkpoint ${String(d.sha).slice(0, 12)} of ${d.files} uncommitted file(s)${d.branch ? ` on ${d.branch}` : ""}`;
      case "branch_pushed":
        return `${p.green("⇡")} pushed ${d.branch} to ${d.remote}`;
      case "push_failed":
        return `${p.red("⇡")} push failed: ${d.detail}`;
      case "blocker_detected":
        return `${p.red("■ blocker")} ${d.type}${d.task ? ` (${d.task})` : ""}: ${d.detail ?? `failed after ${d.attempts} attempt(s)`}`;
      case "blocker_cleared":
        return `${p.green("□")} blocker ${d.type}${d.task ? ` (${d.task})` : ""} cleared`;
      case "blockers_escalated": {
        const blockers = Array.isArray(d.blockers) ? d.blockers.map((b: { type: string; task: string | null }) => `${b.type}${b.task ? ` (${b.task})` : ""}`) : [];
        return `${p.red("■")} escalated: ${blockers.join(", ") || "blockers"}`;
      }
      case "plan_updated": {
        const list = (v: unknown) => (Array.isArray(v) && v.length ? v.join(", ") : "none");
        return `${p.cyan("✎")} plan edited: added ${list(d.added)}; changed ${list(d.changed)}; removed ${list(d.removed)}`;
      }
      case "milestone_blocked":
        return p.red(p.bold(`■ ${e.milestone_id} blocked`));
      case "tests_checked":
        return d.ok ? p.dim(`tests passed${seconds(d.duration_ms)}`) : `${p.red("✖")} tests failed (exit ${d.code})`;
      case "milestone_file_recreated":
        return `${p.yellow("!")} ${d.file} was deleted during the run: written again from the run's state`;
      case "lock_taken_over":
        return `${p.yellow("!")} took over the lock of pid ${d.previous_pid} on ${d.previous_host}, which is gone`;
      default:
        return `${e.event} ${JSON.stringify(d)}`;
    }
  })();
  return `${p.dim(clock(e.ts))} ${body}`;
}
