// `resume <id>`: continue a paused, blocked, failed or killed run from its saved state.
import type { Command } from "../command.ts";
import { command as executeCommand, execute } from "./execute.ts";

export const command: Command = {
  ...executeCommand,
  name: "resume",
  summary: "continue a paused, blocked or interrupted milestone from its saved state",
  usage: "resume <id> [--concurrency N] [--agent CMD] [--grace S]",
  details: [
    "Restores the newest snapshot in .milestones/sessions/ and replays the event log after it:",
    "tasks whose completion was logged never run again; tasks that were running when the",
    "executor died have their leftover processes killed and run again as a new attempt.",
  ].join("\n"),
  run: (ctx) => execute(ctx, "resume"),
};
