// `clean <id>`: removes what runs of a milestone left in the repository: its task worktrees and
// task branches (a failed, conflicting or cancelled task's). The milestone branch, which holds
// the landed work, stays. Refused while an executor runs the milestone.
import path from "node:path";
import type { Command, CommandContext } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { ExitError, UsageError } from "../../errors.ts";
import { layout as projectLayout } from "../../store/layout.ts";
import { lockIsLive, readLock } from "../../store/lock.ts";
import { loadConfigQuickly } from "../../store/read-config.ts";
import { findRepository } from "../../git/find-repository.ts";
import { cleanMilestone } from "../../git/clean-milestone.ts";
import { idProblem } from "../../milestone/id-rules.ts";
import { resolveGitSettings, resolveWorktrees } from "../../git/git-settings.ts";

export const command: Command = {
  name: "clean",
  summary: "remove a milestone's leftover task worktrees and task branches",
  usage: "clean <id>",
  details: [
    "Removes the worktrees under .milestones/worktrees/<id>/ (or worktrees.dir) and the branches",
    "<prefix><id>+<task> that runs of the milestone left: those of tasks that failed, conflicted or",
    "were interrupted. Work on them that has not landed is gone from the branches; each removed",
    "branch is printed with its commit, so `git branch <name> <commit>` brings it back.",
    "The milestone branch itself is kept. Refused while the milestone runs (exit 5).",
  ].join("\n"),
  options: {},
  async run(ctx: CommandContext) {
    if (ctx.args.length !== 1) throw new UsageError("clean takes exactly one milestone id", "usage: milestone-machine clean <id>");
    const id = ctx.args[0];
    // The id names folders and branches: one that could point elsewhere is refused.
    const problem = idProblem(id);
    if (problem) throw new UsageError(`'${id}' is not a milestone id: ${problem}`);
    const layout = projectLayout(ctx.cwd);
    const holder = readLock(layout.lock(id));
    if (holder && lockIsLive(holder)) {
      throw new ExitError(`${id} is being executed by pid ${holder.pid} on ${holder.host}; clean is refused while it runs`, EXIT.locked, `pause it first: milestone-machine pause ${id}`);
    }
    const repo = await findRepository(layout.project);
    if (!repo) throw new ExitError(`${layout.project} is not in a git repository: there is nothing to clean`, EXIT.badInput);
    const config = await loadConfigQuickly(ctx.cwd);
    const { branchPrefix } = resolveGitSettings(config.git, {});
    const root = path.join(resolveWorktrees(config.worktrees, layout.project, layout.worktreesDir).dir, id);
    const { worktrees, branches } = await cleanMilestone(repo, root, `${branchPrefix}${id}`);
    const shown = worktrees.map((w) => path.relative(layout.project, w));
    if (ctx.json) ctx.stdout.write(`${JSON.stringify({ id, worktrees: shown, branches })}\n`);
    else if (shown.length + branches.length === 0) ctx.stdout.write(`${id}: no worktrees or task branches to remove\n`);
    else {
      for (const w of shown) ctx.stdout.write(`removed worktree ${w}\n`);
      for (const b of branches) ctx.stdout.write(`deleted branch ${b.branch} (was ${b.sha.slice(0, 12)})\n`);
    }
    return EXIT.completed;
  },
};
