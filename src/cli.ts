#!/usr/bin/env node
// Entry point on Node (dist/src/cli.js) and Deno (src/cli.ts). Finds the command, parses its
// flags, runs it, and turns every thrown error into one message and an exit code.
import process from "node:process";
import path from "node:path";
import { COMMANDS } from "./cli/commands/index.ts";
import { COMMON_OPTIONS } from "./cli/common-options.ts";
import { commandHelp, programHelp } from "./cli/help.ts";
import { parseCommandArgs } from "./cli/parse-args.ts";
import { EXIT } from "./cli/exit-codes.ts";
import { UsageError } from "./errors.ts";
import { VERSION } from "./version.ts";
import { reportError } from "./cli/report-error.ts";

async function main(argv: string[]): Promise<number> {
  const name = argv.find((a) => !a.startsWith("-"));
  if (argv.includes("--version") || argv.includes("-V")) {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.completed;
  }
  if (!name) {
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(`${programHelp(COMMANDS)}\n`);
      return argv.length === 0 ? EXIT.badInput : EXIT.completed;
    }
    throw new UsageError(`unknown option '${argv[0]}'`, "run 'milestone-machine --help' for the commands");
  }
  const entry = COMMANDS[name];
  if (!entry) throw new UsageError(`unknown command '${name}'`, "run 'milestone-machine --help' for the commands");
  const command = await entry.load();
  const rest = argv.filter((a, i) => i !== argv.indexOf(name));
  const options = { ...COMMON_OPTIONS, ...command.options };
  const { positionals, flags } = parseCommandArgs(rest, options, name);
  if (flags.help) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.completed;
  }
  const color = !flags["no-color"] && !process.env.NO_COLOR && process.stdout.isTTY === true;
  return command.run({
    args: positionals,
    flags,
    cwd: path.resolve(typeof flags.cwd === "string" ? flags.cwd : "."),
    json: flags.json === true,
    color,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}

main(process.argv.slice(2)).then(
  (code) => exit(code),
  (error: unknown) => exit(reportError(error, process.stderr)),
);

// Exit only once stdout has drained, so piped output is never cut short.
function exit(code: number): void {
  process.exitCode = code;
  if (process.stdout.writableNeedDrain) process.stdout.once("drain", () => process.exit(code));
  else process.exit(code);
}
