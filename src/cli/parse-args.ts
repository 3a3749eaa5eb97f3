// Turns argv into a command and its flags with node:util's parseArgs (works on Node and Deno).
import { parseArgs } from "node:util";
import type { OptionSpec } from "./command.ts";
import { UsageError } from "../errors.ts";

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

/**
 * The command name and the arguments around it. Only the common options (COMMON_OPTIONS: --cwd,
 * --json, --no-color, --help) may come before the command, and a string one takes the next
 * argument as its value: `--cwd proj status m` runs `status` in proj.
 */
export function splitCommand(argv: string[], common: Record<string, OptionSpec>): { name: string | null; rest: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-") return { name: arg, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
    const option = commonOption(arg, common);
    if (!option) {
      throw new UsageError(`unknown option '${arg}' before the command`, "only --cwd, --json, --no-color and --help go before it; a command's own options go after it");
    }
    if (option.type === "string" && !arg.includes("=")) i++;
  }
  return { name: null, rest: argv };
}

function commonOption(arg: string, common: Record<string, OptionSpec>): OptionSpec | undefined {
  if (arg.startsWith("--")) return common[arg.slice(2).split("=")[0]];
  return Object.values(common).find((o) => o.short !== undefined && arg === `-${o.short}`);
}

export function parseCommandArgs(argv: string[], options: Record<string, OptionSpec>, command: string): ParsedArgs {
  const spec: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, o] of Object.entries(options)) spec[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec, allowPositionals: true, strict: true });
    return { positionals, flags: values as Record<string, string | boolean | undefined> };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(message, `run 'milestone-machine ${command} --help' for the options`);
  }
}

/** A positive integer flag, or undefined when absent. */
export function intFlag(flags: ParsedArgs["flags"], name: string, min = 1): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== "string" || !Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} takes a whole number of at least ${min}, got '${String(raw)}'`);
  }
  return n;
}
