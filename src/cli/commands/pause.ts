// `pause <id>`: asks the executor running a milestone (on this host) to pause, as Ctrl-C in its
// terminal would: nothing new starts, running tasks get the grace period, state is saved.
import process from "node:process";
import os from "node:os";
import type { Command, CommandContext } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { ExitError, UsageError } from "../../errors.ts";
import { layout as projectLayout } from "../../store/layout.ts";
import { findMilestone } from "../../store/find-milestone.ts";
import { lockIsLive, readLock } from "../../store/lock.ts";

export const command: Command = {
  name: "pause",
  summary: "ask the executor of a milestone to pause",
  usage: "pause <id>",
  options: {},
  async run(ctx: CommandContext) {
    if (ctx.args.length !== 1) throw new UsageError("pause takes exactly one milestone id", "usage: milestone-machine pause <id>");
    const layout = projectLayout(ctx.cwd);
    const id = ctx.args[0];
    findMilestone(layout, id);
    const lock = readLock(layout.lock(id));
    if (!lock || !lockIsLive(lock)) {
      const result = { id, paused: false, reason: "not running" };
      ctx.stdout.write(ctx.json ? `${JSON.stringify(result)}\n` : `${id} is not being executed\n`);
      return EXIT.completed;
    }
    if (lock.host !== os.hostname()) {
      throw new ExitError(`${id} is executed by pid ${lock.pid} on ${lock.host}, another host`, EXIT.locked, `pause it there: milestone-machine pause ${id}`);
    }
    process.kill(lock.pid, "SIGINT");
    const result = { id, paused: true, pid: lock.pid };
    ctx.stdout.write(ctx.json ? `${JSON.stringify(result)}\n` : `asked pid ${lock.pid} to pause ${id}; it saves its state and exits with 4\n`);
    return EXIT.completed;
  },
};
