// `execute <id>`: validate, take the lock, run the milestone, report, exit with its outcome.
import type { Command, CommandContext } from "../command.ts";
import { intFlag } from "../parse-args.ts";
import { EXIT } from "../exit-codes.ts";
import { ExitError } from "../../errors.ts";
import { layout as projectLayout, type Layout } from "../../store/layout.ts";
import { findMilestone } from "../../store/find-milestone.ts";
import { acquireLock, removeDeadLock } from "../../store/lock.ts";
import { removeStaleTemps } from "../../store/remove-stale-temps.ts";
import { unmetRequirements } from "../../store/unmet-requirements.ts";
import { loadConfigQuickly } from "../../store/read-config.ts";
import { loadMilestoneQuickly } from "../../milestone/read-milestone.ts";
import { buildPlan, parseAgentCommand } from "../../milestone/plan.ts";
import { formatProblem } from "../../errors.ts";
import { newSessionId } from "../../store/session-id.ts";
import { runMilestone, type RunResult } from "../../runtime.ts";
import { paint } from "../../ui/colors.ts";
import { formatEvent } from "../../ui/event-line.ts";
import { LineBatcher } from "../../ui/line-batcher.ts";
import { Dashboard } from "../../ui/dashboard.ts";
import { statusReport } from "../status-report.ts";
import type { Plan } from "../../milestone/plan-types.ts";
import { hasHistory, planResume, type ResumePlan } from "../../persist/resume-plan.ts";
import { tasksInSnapshot } from "../../persist/reconcile.ts";
import { notifyBlocked } from "../../notify/notify-blocked.ts";
import { resolveGitSettings, resolveWorktrees } from "../../git/git-settings.ts";
import { resolveChecks } from "../../probes/resolve-checks.ts";
import { unknownSpawnerSetting } from "../../exec/index.ts";
import { loadEditedPlan } from "../../milestone/plan-edit.ts";
import { requireGit } from "../../git/require-git.ts";
import { refuseBesideLiveExecutor } from "../../store/live-executor.ts";
import fs from "node:fs";
import path from "node:path";
import { forEachEventNamed } from "../../log/read-log.ts";

const DEFAULT_CONCURRENCY = 2;
const DEFAULT_GRACE_S = 30;
const DEFAULT_BACKOFF_MS = 1000;
const KILL_GRACE_MS = 5000;

export const command: Command = {
  name: "execute",
  summary: "run a milestone's tasks",
  usage: "execute <id> [--concurrency N] [--agent CMD]",
  details: [
    "Runs .milestones/active/<id>.yaml: each task starts as soon as the tasks it depends on are",
    "completed, at most N at once. Tasks already completed or skipped in the file are not run",
    "again. Ctrl-C (or SIGTERM, or 'pause <id>') pauses: nothing new starts, running tasks get",
    "--grace seconds (default 30) to finish and are then stopped, the state is saved, the exit",
    "code is 4, and resume (or execute) continues from there; a second Ctrl-C stops them at once.",
    "In a git repository each task runs in a worktree of its own (.milestones/worktrees/) on a",
    "branch from the tip of milestone/<id>, and lands there as one commit once it succeeded; your",
    "checkout (branch, index, files) is never touched. A task with isolation: shared runs alone in",
    "your checkout and is not committed. --no-git: tasks run in the project directory, no commits.",
    "Tasks are started by a helper process: on Linux spawner.py when /usr/bin/python3, else the",
    "PATH's python3, is 3.8 or later (MM_PYTHON=PATH names the interpreter; MM_SPAWNER=node uses",
    "the Node helper).",
    "Exit: 0 completed, 1 failed, 2 bad input, 3 blocked, 4 paused, 5 locked.",
  ].join("\n"),
  options: {
    concurrency: { type: "string", short: "c", value: "N", description: "tasks run at once (default: config, else 2)" },
    agent: { type: "string", value: "CMD", description: "agent command for prompt tasks; the prompt is appended as the last argument" },
    "retry-backoff": { type: "string", value: "MS", description: "wait before the first retry, doubled for each further one (default 1000)" },
    "fail-fast": { type: "boolean", description: "when a task fails for good, stop the running ones too instead of letting independent work finish" },
    inspect: { type: "boolean", description: "show the running machine in the Stately inspector (prints the URL to open)" },
    "inspect-port": { type: "string", value: "PORT", description: "port of the local inspector page (default: any free port)" },
    "no-git": { type: "boolean", description: "no worktrees and no commits: tasks run in the project directory" },
    push: { type: "boolean", description: "push the milestone branch to the remote (git.remote, default origin) once completed" },
    grace: { type: "string", value: "S", description: `seconds running tasks may finish after Ctrl-C before they are stopped (default ${DEFAULT_GRACE_S})` },
  },
  run: (ctx) => execute(ctx, "execute"),
};

/** execute and resume: the same run; resume insists that there is an earlier run to continue. */
export async function execute(ctx: CommandContext, name: "execute" | "resume"): Promise<number> {
  const [id, ...extra] = ctx.args;
  if (!id || extra.length) throw new ExitError(`${name} takes exactly one milestone id`, EXIT.badInput, `usage: milestone-machine ${name} <id>`);
  const spawner = unknownSpawnerSetting();
  if (spawner !== null) {
    throw new ExitError(`MM_SPAWNER=${spawner}: not a spawner this version knows`, EXIT.badInput, "unset MM_SPAWNER, or set MM_SPAWNER=node to start tasks from the Node spawner");
  }
  const layout = projectLayout(ctx.cwd);
  const found = findMilestone(layout, id);
  if (found.place === "completed") {
    // A run killed while saving its last snapshot, after the milestone file moved to
    // completed/, leaves a temp file and its lock behind; nothing will run it again to clean up.
    removeStaleTemps(layout);
    removeDeadLock(layout.lock(id));
    await removeLeftoverWorktrees(ctx, layout, id);
    if (ctx.json) ctx.stdout.write(`${JSON.stringify(statusReport(layout, id), null, 2)}\n`);
    else ctx.stdout.write(`${id} is already completed (${found.file}); nothing to do\n`);
    return EXIT.completed;
  }
  refuseRecreated(layout, id);
  const config = await loadConfigQuickly(ctx.cwd);
  const loaded = await loadMilestoneQuickly(found.file, { expectedId: id });
  for (const warning of loaded.warnings) ctx.stderr.write(`warning: ${formatProblem(warning)}\n`);
  const agentFlag = ctx.flags.agent;
  const overrides = { agentCommand: typeof agentFlag === "string" ? parseAgentCommand(agentFlag) : undefined };
  const plan = buildPlan(loaded, config, ctx.cwd, overrides);
  checkRequirements(layout, plan);

  const concurrency = intFlag(ctx.flags, "concurrency") ?? config.concurrency ?? DEFAULT_CONCURRENCY;
  const backoffMs = intFlag(ctx.flags, "retry-backoff", 0) ?? DEFAULT_BACKOFF_MS;
  const graceMs = (intFlag(ctx.flags, "grace", 0) ?? DEFAULT_GRACE_S) * 1000;
  if (name === "resume" && !hasHistory(layout, id)) {
    throw new ExitError(`${id} has not been executed yet: there is nothing to resume`, EXIT.badInput, `start it with 'milestone-machine execute ${id}'`);
  }
  const git = resolveGitSettings(config.git, { noGit: ctx.flags["no-git"] === true, ...(ctx.flags.push === true ? { push: true } : {}) });
  // Before anything is written: a repository without a usable git is the machine's problem.
  if (!git.off) await requireGit(layout.project);
  const sessionId = newSessionId();
  const lock = acquireLock(layout.lock(id), id, sessionId);
  try {
    refuseBesideLiveExecutor(layout.project, id);
  } catch (error) {
    lock.release();
    throw error;
  }
  removeStaleTemps(layout);
  const p = paint(ctx.color);
  const live = !ctx.json && ctx.stdout.isTTY ? new Dashboard(ctx.stdout, p, statusReport(layout, id), layout.project) : null;
  const lines = new LineBatcher(ctx.stdout);
  let result: RunResult;
  const inspector = ctx.flags.inspect ? await startInspectorFor(ctx) : null;
  try {
    const resume = await planResume(layout, plan, (loaded.data as { progress?: { last_update?: unknown } }).progress?.last_update);
    refuseWhileBlocked(plan, resume);
    result = await runMilestone({
      inspect: inspector?.inspect,
      resume,
      graceMs,
      failFast: ctx.flags["fail-fast"] === true,
      layout,
      plan,
      doc: () => loaded.doc,
      plain: loaded.plain,
      text: loaded.text,
      sessionId,
      concurrency,
      backoffMs,
      killGraceMs: KILL_GRACE_MS,
      lock,
      git,
      worktrees: resolveWorktrees(config.worktrees, layout.project, layout.worktreesDir),
      checks: resolveChecks(config, loaded.data),
      reloadPlan: (text) => loadEditedPlan(found.file, text, config, ctx.cwd, overrides),
      watch: (journal, actor) => {
        if (live) live.attach(journal.events$, actor);
        else if (!ctx.json) journal.events$.subscribe((e) => lines.write(formatEvent(e, p)));
      },
    });
  } finally {
    lines.flush();
    live?.close();
    lock.release();
    await inspector?.stop();
  }
  if (result.state === "blocked" && config.notify?.command) {
    const report = statusReport(layout, id);
    const failure = await notifyBlocked(config.notify.command, ctx.cwd, {
      milestone: id,
      status: "blocked",
      blockers: report.blockers,
      resume: `milestone-machine resume ${id}`,
    });
    if (failure) ctx.stderr.write(`warning: notify.command ${failure}\n`);
  }
  if (ctx.json) {
    const run = { state: result.state, session_id: sessionId, bytes_written: result.bytes, ...(result.review ? { branch: result.review.branch } : {}) };
    ctx.stdout.write(`${JSON.stringify({ ...statusReport(layout, id), run }, null, 2)}\n`);
  } else reportOutcome(ctx, layout, plan, result);
  return exitCodeFor(result);
}

// A milestone written again under the id of one that completed: the old run's log would make its
// tasks count as done, and the run would report "completed" without running anything. (A run
// killed between writing completed/<id>.yaml and removing active/<id>.yaml leaves both files
// too, but its log has no milestone_completed yet: that one is resumed as usual.)
function refuseRecreated(layout: Layout, id: string): void {
  if (!fs.existsSync(layout.completed(id))) return;
  let completed = false;
  forEachEventNamed(layout.eventLog(id), "milestone_completed", () => (completed = true));
  if (!completed) return;
  const log = path.relative(layout.project, layout.eventLog(id));
  const done = path.relative(layout.project, layout.completed(id));
  throw new ExitError(
    `${id} was completed before (${done}); ${path.relative(layout.project, layout.active(id))} is a new milestone under the same id, and that run's log (${log}) would count its tasks as done`,
    EXIT.badInput,
    `to run it, give it an id of its own: rename ${path.relative(layout.project, layout.active(id))} to .milestones/active/<new-id>.yaml and set id: <new-id> in it`,
  );
}

// A run killed after its milestone completed, before it removed its worktrees: every task has
// landed, so nothing in them is needed any more.
async function removeLeftoverWorktrees(ctx: CommandContext, layout: Layout, id: string): Promise<void> {
  const config = await loadConfigQuickly(ctx.cwd);
  const git = resolveGitSettings(config.git, { noGit: ctx.flags["no-git"] === true });
  if (git.off) return;
  const { findRepository } = await import("../../git/find-repository.ts");
  const repo = await findRepository(layout.project);
  if (!repo) return;
  const { cleanMilestone } = await import("../../git/clean-milestone.ts");
  const { dir } = resolveWorktrees(config.worktrees, layout.project, layout.worktreesDir);
  await cleanMilestone(repo, path.join(dir, id), `${git.branchPrefix}${id}`);
}

// Loaded only with --inspect: the bridge pulls in the inspector's dependencies.
async function startInspectorFor(ctx: CommandContext) {
  const { startInspector } = await import("../../inspect/inspector.ts");
  const inspector = await startInspector({ port: intFlag(ctx.flags, "inspect-port", 0) ?? 0 });
  ctx.stderr.write(`inspector: open ${inspector.url} (the Stately inspector UI itself is a web app: the browser needs internet)\n`);
  return inspector;
}

// A task that failed for good and blocks its milestone needs a person's decision first.
function refuseWhileBlocked(plan: Plan, resume: ResumePlan): void {
  const statuses = resume.kind === "exact" ? tasksInSnapshot(resume.envelope) : resume.reconciled.tasks;
  const blocks = new Map(plan.tasks.map((t) => [t.id, t.onFailure === "block"]));
  const failed = statuses.filter((t) => t.status === "failed" && blocks.get(t.id)).map((t) => t.id);
  if (failed.length === 0) return;
  const id = plan.milestoneId;
  throw new ExitError(
    `${id} is blocked: ${failed.map((t) => `task '${t}' failed`).join(", ")}`,
    EXIT.blocked,
    `fix it, then 'milestone-machine retry ${id} ${failed[0]}' (or 'skip ${id} ${failed[0]}') and 'milestone-machine resume ${id}'`,
  );
}

// Checked before the lock is taken so that a milestone that may not start changes no file.
function checkRequirements(layout: Layout, plan: Plan): void {
  const unmet = unmetRequirements(layout, plan.requires);
  if (unmet.length === 0) return;
  throw new ExitError(
    `${plan.milestoneId} requires milestones that are not completed: ${unmet.join(", ")}`,
    EXIT.badInput,
    `complete them first (milestone-machine execute ${unmet[0]})`,
  );
}

function exitCodeFor(result: RunResult): number {
  switch (result.state) {
    case "completed":
      return EXIT.completed;
    case "paused":
      return EXIT.paused;
    case "blocked":
      return EXIT.blocked;
    case "rejected":
      return EXIT.badInput;
    case "failed":
    case "cancelled":
      return EXIT.failed;
  }
}

function reportOutcome(ctx: CommandContext, layout: Layout, plan: Plan, result: RunResult): void {
  const { context, state } = result;
  const out = ctx.stderr;
  if (state === "rejected") out.write(`${plan.milestoneId}: ${context.error}\n`);
  if (state === "failed") {
    for (const taskId of context.failedTasks) {
      const attempts = context.tasks.find((t) => t.id === taskId)?.attempts ?? 0;
      out.write(`  ${taskId}: see ${layout.taskLog(plan.milestoneId, taskId, attempts)}\n`);
    }
    out.write(`fix the failing tasks, then run 'milestone-machine execute ${plan.milestoneId}' again to retry them\n`);
  }
  if (state === "blocked") {
    const id = plan.milestoneId;
    for (const b of context.blockers) {
      if (b.type === "task_failed" && b.task) {
        const attempts = context.tasks.find((t) => t.id === b.task)?.attempts ?? 0;
        out.write(`  blocker: task ${b.task} failed after ${attempts} attempt(s); see ${layout.taskLog(id, b.task, attempts)}\n`);
        out.write(`    fix: fix it, then 'milestone-machine retry ${id} ${b.task}' (or 'skip ${id} ${b.task}')\n`);
      } else {
        out.write(`  blocker (${b.type}): ${b.detail}\n`);
        if (b.fix) out.write(`    fix: ${b.fix}\n`);
      }
    }
    out.write(`then continue with 'milestone-machine resume ${id}'\n`);
  }
  if (state === "paused") out.write(`continue with 'milestone-machine resume ${plan.milestoneId}'\n`);
  if (state === "completed" && result.review) {
    const { branch, checkout } = result.review;
    const yours = checkout ?? "HEAD";
    out.write(`the work is on ${branch}: review it with 'git log --stat ${yours}..${branch}', then merge it with 'git merge ${branch}'${checkout ? ` on ${checkout}` : ""}\n`);
  }
}
