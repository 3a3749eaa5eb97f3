// Validates parsed YAML data with a zod schema and turns every issue into a located Problem
// whose message names the field and says what is expected in words a user can act on
// ("tasks[1].retries: must be a whole number ≥ 0"), not zod's internal vocabulary.
import type { z } from "zod";
import type { Problem } from "../errors.ts";
import { formatPath, problemAt, type YamlSource } from "./yaml-source.ts";

export type SchemaResult<T> = { ok: true; data: T } | { ok: false; problems: Problem[] };

export function checkSchema<T>(source: YamlSource, schema: z.ZodType<T>, data: unknown): SchemaResult<T> {
  const result = schema.safeParse(data, { error: readableMessage, reportInput: true });
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    problems: result.error.issues
      .map((issue) => {
        const label = issue.path.length ? formatPath(issue.path) : "the top level";
        return problemAt(source, issue.path, `${label}: ${issue.message}${offendingValue(issue)}`);
      })
      .sort((a, b) => a.line - b.line || a.col - b.col),
  };
}

type RawIssue = z.core.$ZodRawIssue;

// Used only where the schema does not set its own message (zod gives those precedence).
function readableMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      if (issue.expected === "int") return "must be a whole number";
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected} (got ${describe(issue.input)})`;
    case "too_small":
      return bound(issue.origin, issue.minimum, issue.inclusive !== false ? "at least" : "more than");
    case "too_big":
      return bound(issue.origin, issue.maximum, issue.inclusive !== false ? "at most" : "less than");
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")} (got ${describe(issue.input)})`;
    case "invalid_union":
      return unionMessage(issue.errors, issue.input);
    case "invalid_format":
      return `must match ${issue.pattern ?? issue.format}`;
    default:
      return undefined;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping (key: value)",
  record: "a mapping (key: value)",
};

function bound(origin: unknown, limit: unknown, words: string): string {
  if (origin === "string") return limit === 1 && words === "at least" ? "must not be empty" : `must be ${words} ${limit} characters`;
  if (origin === "array") return `must have ${words} ${limit} item${limit === 1 ? "" : "s"}`;
  return `must be ${words} ${limit}`;
}

// A union fails as a whole: if every branch only wanted another type, say which types would do;
// if the branches are all lists of allowed words (enums), list every allowed word.
function unionMessage(branches: ReadonlyArray<ReadonlyArray<{ code: string; message: string; expected?: string; values?: unknown[] }>>, input: unknown): string {
  const issues = branches.flat();
  if (issues.length && issues.every((i) => i.code === "invalid_value")) {
    return `must be one of ${issues.flatMap((i) => i.values ?? []).map(String).join(", ")} (got ${describe(input)})`;
  }
  const specific = issues.find((i) => i.code !== "invalid_type");
  if (specific) return specific.message;
  const types = [...new Set(issues.map((i) => TYPE_NAMES[i.expected ?? ""] ?? i.expected))];
  return `must be ${orList(types.map(String))} (got ${describe(input)})`;
}

function orList(words: string[]): string {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

function describe(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `'${shorten(value)}'`;
  return String(value);
}

// Format and length problems on text are clearer with the text itself, e.g. an id '../x'.
function offendingValue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (typeof input !== "string") return "";
  if (issue.code === "invalid_format") return ` (got '${shorten(input)}')`;
  if (issue.code === "too_big") return ` (got ${input.length}: '${shorten(input)}')`;
  return "";
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
