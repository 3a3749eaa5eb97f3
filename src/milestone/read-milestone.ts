// The steps of loading a milestone file that need no zod: reading and parsing the YAML, the
// checks across tasks, the file name, and the old status words. load-milestone.ts adds the schema
// check; `validate` uses these directly so that a valid file never loads zod (quick-check.ts).
import fs from "node:fs";
import path from "node:path";
import type { Document } from "yaml";
import { InputError, UsageError, type Problem } from "../errors.ts";
import { checkTasks } from "./check-tasks.ts";
import { MILESTONE_STATUS_ALIASES, idProblem } from "./id-rules.ts";
import { isValidMilestone } from "./quick-check.ts";
import type { SchemaResult } from "./schema-problems.ts";
import type { MilestoneFile } from "./schema.ts";
import { isEmptyDocument, parsePlainSource, parseYaml, problemAt, problemAtOffset, type YamlSource } from "./yaml-source.ts";

export interface LoadedMilestone {
  /** Absolute path. */
  file: string;
  /** The original file content. */
  text: string;
  /** Kept for comment-preserving write-back; built on first access when the fast path read the file. */
  readonly doc: Document;
  /** The fast path read the file: it is in the plain YAML subset (plain-yaml.ts). */
  plain: boolean;
  /** Validated; `status` aliases of the old workflow already normalised. */
  data: MilestoneFile;
  warnings: Problem[];
}

export interface LoadOptions {
  /** The id the file name implies; a different `id:` in the file is an error. */
  expectedId?: string;
}

/** A milestone file parsed but not yet checked. */
export interface ParsedMilestone {
  text: string;
  source: YamlSource;
  raw: Record<string, unknown> | null;
  warnings: Problem[];
  plain: boolean;
}

export function readMilestoneText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`no such file: ${file}`);
    throw error;
  }
}

// Most files are plain YAML, read without building the yaml library's document (over a second
// for 10,000 tasks); any other file, and any syntax error, goes the located way.
export function parseMilestoneText(file: string, text: string): ParsedMilestone {
  const plain = parsePlainSource(file, text);
  if (plain) return { text, source: plain.source, raw: plain.data, warnings: [], plain: true };
  const { source, errors, warnings } = parseYaml(file, text);
  // After a syntax error the data is a guess; further checks would only add noise.
  if (errors.length) throw new InputError(errors);
  if (isEmptyDocument(source)) {
    throw new InputError([problemAtOffset(source, 0, "the file is empty: a milestone needs at least id and tasks")]);
  }
  return { text, source, raw: source.doc.toJS() as Record<string, unknown> | null, warnings, plain: false };
}

/** load-milestone.ts's loadMilestone, with its schema module (and zod) loaded only for a file
 *  the quick check refuses, to say what is wrong with it. */
export async function loadMilestoneQuickly(file: string, options: LoadOptions): Promise<LoadedMilestone> {
  const absolute = path.resolve(file);
  const parsed = parseMilestoneText(absolute, readMilestoneText(absolute));
  const schema = quickSchemaResult(parsed) ?? (await import("./load-milestone.ts")).checkMilestoneSchema(parsed);
  return completeMilestone(parsed, schema, options);
}

/** The schema's verdict when quick-check.ts can give it without zod; null when zod must. */
export function quickSchemaResult(parsed: ParsedMilestone): SchemaResult<MilestoneFile> | null {
  // The schema only checks, so valid data is its own parse result.
  return isValidMilestone(parsed.raw) ? { ok: true, data: parsed.raw as MilestoneFile } : null;
}

/** The loaded milestone, or an InputError with every problem of the schema and across tasks. */
export function completeMilestone(parsed: ParsedMilestone, schema: SchemaResult<MilestoneFile>, options: LoadOptions): LoadedMilestone {
  const { source, raw, warnings } = parsed;
  const problems = [
    ...(schema.ok ? [] : schema.problems),
    ...checkTasks(source, raw?.tasks),
    ...checkFileName(source, raw?.id, options.expectedId),
  ];
  if (problems.length || !schema.ok) throw new InputError(byPosition(problems));
  const data = schema.data;
  const status = data.status;
  if (status === "planning" || status === "active") {
    const modern = MILESTONE_STATUS_ALIASES[status];
    warnings.push(problemAt(source, ["status"], `status '${status}' is the old name of '${modern}'; read as '${modern}'`));
    data.status = modern;
  }
  return {
    file: source.file,
    text: parsed.text,
    get doc() {
      return source.doc;
    },
    data,
    warnings,
    plain: parsed.plain,
  };
}

function checkFileName(source: YamlSource, id: unknown, expectedId: string | undefined): Problem[] {
  // An unsafe id is already reported by the schema; comparing it with the file name adds nothing.
  if (expectedId === undefined || typeof id !== "string" || idProblem(id) !== null || id === expectedId) return [];
  return [problemAt(source, ["id"], `id '${id}' does not match the file name '${path.basename(source.file)}'`)];
}

function byPosition(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}
