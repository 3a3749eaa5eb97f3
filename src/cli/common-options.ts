import type { OptionSpec } from "./command.ts";

// Flags every command accepts (DESIGN §7).
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "machine-readable JSON output" },
  cwd: { type: "string", value: "DIR", description: "project directory holding .milestones/ (default: .)" },
  "no-color": { type: "boolean", description: "no colours (also when NO_COLOR is set)" },
  help: { type: "boolean", short: "h", description: "show help" },
  version: { type: "boolean", short: "V", description: "print the version" },
};
