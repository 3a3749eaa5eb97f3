// Reads one milestone file into validated data, or throws an InputError listing every problem
// of the file at once, each pointing at the offending node (DESIGN §6.5). Reads only.
import path from "node:path";
import { checkSchema, type SchemaResult } from "./schema-problems.ts";
import { milestoneSchema, type MilestoneFile } from "./schema.ts";
import {
  completeMilestone, parseMilestoneText, quickSchemaResult, readMilestoneText, type LoadOptions, type LoadedMilestone, type ParsedMilestone,
} from "./read-milestone.ts";

export type { LoadOptions, LoadedMilestone } from "./read-milestone.ts";

export function loadMilestone(file: string, options: LoadOptions = {}): LoadedMilestone {
  const absolute = path.resolve(file);
  return parseMilestone(absolute, readMilestoneText(absolute), options);
}

/** loadMilestone's checks on text already in hand (an edit of the file during a run). */
export function parseMilestone(file: string, text: string, options: LoadOptions = {}): LoadedMilestone {
  const parsed = parseMilestoneText(path.resolve(file), text);
  return completeMilestone(parsed, checkMilestoneSchema(parsed), options);
}

/** The schema's verdict on a parsed file, with a located problem for each of its issues. */
export function checkMilestoneSchema(parsed: ParsedMilestone): SchemaResult<MilestoneFile> {
  return quickSchemaResult(parsed) ?? checkSchema(parsed.source, milestoneSchema, parsed.raw);
}
