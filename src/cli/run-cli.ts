// Finds the command, parses its flags, runs it, and turns every thrown error into one message
// and an exit code. Loaded by src/cli.ts for everything but `--version`.
import process from "node:process";
import path from "node:path";
import { COMMANDS } from "./commands/index.ts";
import { COMMON_OPTIONS } from "./common-options.ts";
import { commandHelp, programHelp } from "./help.ts";
import { parseCommandArgs, splitCommand } from "./parse-args.ts";
import { EXIT } from "./exit-codes.ts";
import { UsageError } from "../errors.ts";
import { reportError } from "./report-error.ts";

/** Runs the command line `argv` (without node and the script) and exits with its code. */
export function runCli(argv: string[]): void {
  keepRunningWithoutReader();
  main(argv).then(
    (code) => exit(code),
    (error: unknown) => exit(reportError(error, process.stderr)),
  );
}

async function main(argv: string[]): Promise<number> {
  const { name, rest } = splitCommand(argv, COMMON_OPTIONS);
  if (!name) {
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(`${programHelp(COMMANDS)}\n`);
      return argv.length === 0 ? EXIT.badInput : EXIT.completed;
    }
    throw new UsageError("no command given", "run 'milestone-machine --help' for the commands");
  }
  const entry = COMMANDS[name];
  if (!entry) throw new UsageError(`unknown command '${name}'`, "run 'milestone-machine --help' for the commands");
  entry.prepare?.();
  const command = await entry.load();
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

// A reader that went away (`execute … | head -1`, a closed terminal) stops the output, never the
// run: without a listener, the EPIPE or EIO of the next write would be an uncaught exception
// that kills the engine with its tasks running and its lock left behind.
function keepRunningWithoutReader(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE" || error.code === "EIO" || error.code === "ERR_STREAM_DESTROYED") return;
      throw error;
    });
  }
}

// Exit only once stdout has drained, so piped output is never cut short.
function exit(code: number): void {
  process.exitCode = code;
  if (process.stdout.writableNeedDrain && !process.stdout.destroyed) process.stdout.once("drain", () => process.exit(code));
  else process.exit(code);
}
