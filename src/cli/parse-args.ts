// Turns argv into a command and its flags with node:util's parseArgs (works on Node and Deno).
import { parseArgs } from "node:util";
import type { OptionSpec } from "./command.ts";
import { UsageError } from "../errors.ts";

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
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
