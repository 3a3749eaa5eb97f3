// Reads `.milestones/config.yaml` without checking it against the schema (load-config.ts does),
// so that `validate` of a project with a valid config never loads zod (quick-check.ts).
import fs from "node:fs";
import { InputError } from "../errors.ts";
import { isValidConfig } from "../milestone/quick-check.ts";
import type { ConfigFile } from "../milestone/schema.ts";
import { isEmptyDocument, parsePlainSource, parseYaml, type YamlSource } from "../milestone/yaml-source.ts";
import { layout } from "./layout.ts";

/** The config's data and its source; null when the file is absent or empty (no defaults). */
export function readConfig(projectDir: string): { source: YamlSource; data: unknown } | null {
  const file = layout(projectDir).config;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  // By the fast path when the file is plain YAML.
  const plain = parsePlainSource(file, text);
  if (plain) return plain;
  const { source, errors } = parseYaml(file, text);
  if (errors.length) throw new InputError(errors);
  return isEmptyDocument(source) ? null : { source, data: source.doc.toJS() };
}

/** load-config.ts's loadConfig, with zod loaded only for a config the quick check refuses. */
export async function loadConfigQuickly(projectDir: string): Promise<ConfigFile> {
  return quickLoadConfig(projectDir) ?? (await import("./load-config.ts")).loadConfig(projectDir);
}

/** The config when it is plainly valid (or absent), without zod; undefined when zod must judge it. */
export function quickLoadConfig(projectDir: string): ConfigFile | undefined {
  const read = readConfig(projectDir);
  if (read === null) return {};
  return isValidConfig(read.data) ? (read.data as ConfigFile) : undefined;
}
