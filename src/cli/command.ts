// The shape every command module exports, so that parsing, help and errors live in one place.
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder shown in help for string options, e.g. "N". */
  value?: string;
  description: string;
}

export interface CommandContext {
  /** Positional arguments after the command name. */
  args: string[];
  /** Parsed flags: command options and the common ones (json, cwd, color). */
  flags: Record<string, string | boolean | undefined>;
  /** The project directory (from --cwd, else the process cwd), absolute. */
  cwd: string;
  json: boolean;
  color: boolean;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Longer help text shown by `<command> --help`. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Returns the process exit code (see exit-codes.ts). */
  run(ctx: CommandContext): Promise<number>;
}
