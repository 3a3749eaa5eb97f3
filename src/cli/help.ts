// Help text for the program and for each command, generated from the command definitions.
import type { Command, OptionSpec } from "./command.ts";
import { COMMON_OPTIONS } from "./common-options.ts";

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`);
}

export function programHelp(commands: Record<string, { summary: string }>): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    "milestone-machine: run milestone task graphs with concurrent agents, a durable log and git.",
    "",
    "Usage: milestone-machine <command> [options]",
    "",
    "Commands:",
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Common options:",
    ...optionLines(COMMON_OPTIONS),
    "",
    "Exit codes: 0 completed, 1 failed, 2 bad usage or input, 3 blocked, 4 paused, 5 locked.",
    "Run 'milestone-machine <command> --help' for a command's options.",
  ].join("\n");
}

export function commandHelp(command: Command): string {
  const lines = [`Usage: milestone-machine ${command.usage}`, "", command.summary];
  if (command.details) lines.push("", command.details);
  if (Object.keys(command.options).length) lines.push("", "Options:", ...optionLines(command.options));
  lines.push("", "Common options:", ...optionLines(COMMON_OPTIONS));
  return lines.join("\n");
}
