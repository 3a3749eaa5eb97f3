// Reads one milestone file into validated data, or throws an InputError listing every problem
// of the file at once, each pointing at the offending node (DESIGN §6.5). Reads only.
import fs from "node:fs";
import path from "node:path";
import type { Document } from "yaml";
import { InputError, UsageError, type Problem } from "../errors.ts";
import { checkSchema } from "./schema-problems.ts";
import { checkTasks } from "./check-tasks.ts";
import { MILESTONE_STATUS_ALIASES, milestoneSchema, safeId, type MilestoneFile } from "./schema.ts";
import { isEmptyDocument, parsePlainSource, parseYaml, problemAt, problemAtOffset, type YamlSource } from "./yaml-source.ts";

export interface LoadedMilestone {
  /** Absolute path. */
  file: string;
  /** The original file content. */
  text: string;
  /** Kept for comment-preserving write-back; built on first access when the fast path read the file. */
  readonly doc: Document;
  /** Validated; `status` aliases of the old workflow already normalised. */
  data: MilestoneFile;
  warnings: Problem[];
}

export interface LoadOptions {
  /** The id the file name implies; a different `id:` in the file is an error. */
  expectedId?: string;
}

export function loadMilestone(file: string, options: LoadOptions = {}): LoadedMilestone {
  const absolute = path.resolve(file);
  return parseMilestone(absolute, readText(absolute), options);
}

/** loadMilestone's checks on text already in hand (an edit of the file during a run). */
export function parseMilestone(file: string, text: string, options: LoadOptions = {}): LoadedMilestone {
  const absolute = path.resolve(file);
  const { source, raw, warnings } = parseMilestoneYaml(absolute, text);
  const schema = checkSchema(source, milestoneSchema, raw);
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
    file: absolute,
    text,
    get doc() {
      return source.doc;
    },
    data,
    warnings,
  };
}

// Most files are plain YAML, read without building the yaml library's document (over a second
// for 10,000 tasks); any other file, and any syntax error, goes the located way.
function parseMilestoneYaml(file: string, text: string): { source: YamlSource; raw: Record<string, unknown> | null; warnings: Problem[] } {
  const plain = parsePlainSource(file, text);
  if (plain) return { source: plain.source, raw: plain.data, warnings: [] };
  const { source, errors, warnings } = parseYaml(file, text);
  // After a syntax error the data is a guess; further checks would only add noise.
  if (errors.length) throw new InputError(errors);
  if (isEmptyDocument(source)) {
    throw new InputError([problemAtOffset(source, 0, "the file is empty: a milestone needs at least id and tasks")]);
  }
  return { source, raw: source.doc.toJS() as Record<string, unknown> | null, warnings };
}

function checkFileName(source: YamlSource, id: unknown, expectedId: string | undefined): Problem[] {
  // An unsafe id is already reported by the schema; comparing it with the file name adds nothing.
  if (expectedId === undefined || typeof id !== "string" || !safeId.safeParse(id).success || id === expectedId) return [];
  return [problemAt(source, ["id"], `id '${id}' does not match the file name '${path.basename(source.file)}'`)];
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`no such file: ${file}`);
    throw error;
  }
}

function byPosition(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}
