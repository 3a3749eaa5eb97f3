// Reads `.milestones/config.yaml`, the project's defaults. Absent or empty means no defaults;
// a bad file is an InputError with located problems, exactly like a bad milestone file.
import fs from "node:fs";
import { InputError } from "../errors.ts";
import { configSchema, type ConfigFile } from "../milestone/schema.ts";
import { checkSchema } from "../milestone/schema-problems.ts";
import { isEmptyDocument, parseYaml } from "../milestone/yaml-source.ts";
import { layout } from "./layout.ts";

export function loadConfig(projectDir: string): ConfigFile {
  const file = layout(projectDir).config;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  const { source, errors } = parseYaml(file, text);
  if (errors.length) throw new InputError(errors);
  if (isEmptyDocument(source)) return {};
  const result = checkSchema(source, configSchema, source.doc.toJS());
  if (!result.ok) throw new InputError(result.problems);
  return result.data;
}
