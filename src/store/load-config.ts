// Reads `.milestones/config.yaml`, the project's defaults. Absent or empty means no defaults;
// a bad file is an InputError with located problems, exactly like a bad milestone file.
import { InputError } from "../errors.ts";
import { configSchema, type ConfigFile } from "../milestone/schema.ts";
import { checkSchema } from "../milestone/schema-problems.ts";
import { isValidConfig } from "../milestone/quick-check.ts";
import { readConfig } from "./read-config.ts";

export function loadConfig(projectDir: string): ConfigFile {
  const read = readConfig(projectDir);
  if (read === null) return {};
  // The schema only checks, so valid data is its own parse result.
  if (isValidConfig(read.data)) return read.data as ConfigFile;
  const result = checkSchema(read.source, configSchema, read.data);
  if (!result.ok) throw new InputError(result.problems);
  return result.data;
}
