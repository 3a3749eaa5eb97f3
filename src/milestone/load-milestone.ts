// Reads one milestone file into validated data, or throws an InputError listing every problem
// of the file at once, each pointing at the offending node (DESIGN §6.5). Reads only.
import path from "node:path";
import { checkSchema, type SchemaResult } from "./schema-problems.ts";
import { milestoneSchema, type MilestoneFile } from "./schema.ts";
import {
  completeMilestone, parseMilestoneText, quickSchemaResult, readMilestoneText, type LoadOptions, type LoadedMilestone, type ParsedMilestone,
} from "./read-milestone.ts";

export type { LoadOptions, LoadedMilestone } from "./read-milestone.ts";

/** The file, checked, with zod loaded up front (read-milestone.ts's loadMilestoneQuickly loads
 *  it only for a file the quick check refuses). */
export function loadMilestone(file: string, options: LoadOptions = {}): LoadedMilestone {
  const absolute = path.resolve(file);
  const parsed = parseMilestoneText(absolute, readMilestoneText(absolute));
  return completeMilestone(parsed, checkMilestoneSchema(parsed), options);
}

/** The schema's verdict on a parsed file, with a located problem for each of its issues. */
export function checkMilestoneSchema(parsed: ParsedMilestone): SchemaResult<MilestoneFile> {
  return quickSchemaResult(parsed) ?? checkSchema(parsed.source, milestoneSchema, parsed.raw);
}
