// `log <id>`: the event log, readable or raw JSONL, filtered, optionally followed as it grows.
import type { Command, CommandContext } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { UsageError } from "../../errors.ts";
import { layout as projectLayout } from "../../store/layout.ts";
import { findMilestone } from "../../store/find-milestone.ts";
import { readLog } from "../../log/read-log.ts";
import type { LoggedEvent } from "../../log/event-types.ts";
import { formatEvent } from "../../ui/event-line.ts";
import { paint } from "../../ui/colors.ts";
import { followLog } from "../../log/follow-log.ts";
import { parseDuration } from "../../milestone/duration.ts";

export const command: Command = {
  name: "log",
  summary: "print a milestone's event log",
  usage: "log <id> [--json] [--follow] [--task T] [--since TIME]",
  details: "--since takes an ISO time (2026-11-23T10:00:00Z) or a duration back from now (10m, 2h).",
  options: {
    follow: { type: "boolean", short: "f", description: "keep printing new events as they are written (Ctrl-C to stop)" },
    task: { type: "string", value: "T", description: "only events of task T" },
    since: { type: "string", value: "TIME", description: "only events at or after TIME" },
  },
  async run(ctx: CommandContext) {
    if (ctx.args.length !== 1) throw new UsageError("log takes exactly one milestone id", "usage: milestone-machine log <id>");
    const layout = projectLayout(ctx.cwd);
    const id = ctx.args[0];
    findMilestone(layout, id);
    const file = layout.eventLog(id);
    const keep = eventFilter(ctx);
    const p = paint(ctx.color);
    const print = (e: LoggedEvent) => {
      if (keep(e)) ctx.stdout.write(ctx.json ? `${JSON.stringify(e)}\n` : `${formatEvent(e, p)}\n`);
    };
    const { events, torn } = readLog(file);
    if (torn.length) ctx.stderr.write(`warning: ${file}: dropped torn line(s) ${torn.join(", ")} (written by a process that died mid-write)\n`);
    events.forEach(print);
    if (!ctx.flags.follow) return EXIT.completed;
    // Followed from the start and cut by seq: lines written between the read above and a size
    // taken now would otherwise be lost.
    const printed = events.length ? events[events.length - 1].seq : 0;
    await follow(file, 0, (e) => e.seq > printed && print(e));
    return EXIT.completed;
  },
};

function eventFilter(ctx: CommandContext): (e: LoggedEvent) => boolean {
  const task = typeof ctx.flags.task === "string" ? ctx.flags.task : null;
  const since = typeof ctx.flags.since === "string" ? parseSince(ctx.flags.since) : null;
  return (e) => (task === null || e.data.task_id === task) && (since === null || Date.parse(e.ts) >= since);
}

function parseSince(value: string): number {
  const ms = parseDuration(value);
  if (ms !== null) return Date.now() - ms;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new UsageError(`--since takes an ISO time or a duration such as 10m, got '${value}'`);
  return at;
}

// Until Ctrl-C (or SIGTERM), which ends the command normally: following has no other end.
function follow(file: string, offset: number, print: (e: LoggedEvent) => unknown): Promise<void> {
  return new Promise((resolve) => {
    const following = followLog(file, offset).subscribe((events) => events.forEach(print));
    const stop = () => {
      following.unsubscribe();
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
