// Reads `.milestones/config.yaml`, the project's defaults. Absent or empty means no defaults;
// a bad file is an InputError with located problems, exactly like a bad milestone file.
import fs from "node:fs";
import { InputError } from "../errors.ts";
import { configSchema, type ConfigFile } from "../milestone/schema.ts";
import { checkSchema } from "../milestone/schema-problems.ts";
import { isEmptyDocument, parsePlainSource, parseYaml, type YamlSource } from "../milestone/yaml-source.ts";
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
  const read = readYaml(file, text);
  if (read === null) return {};
  const result = checkSchema(read.source, configSchema, read.data);
  if (!result.ok) throw new InputError(result.problems);
  return result.data;
}

// The data and its source, by the fast path when the file is plain YAML; null for an empty file.
function readYaml(file: string, text: string): { source: YamlSource; data: unknown } | null {
  const plain = parsePlainSource(file, text);
  if (plain) return plain;
  const { source, errors } = parseYaml(file, text);
  if (errors.length) throw new InputError(errors);
  return isEmptyDocument(source) ? null : { source, data: source.doc.toJS() };
}
