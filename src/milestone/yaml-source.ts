// Parses a YAML file keeping what is needed to point at a node: the yaml Document (its nodes
// carry source ranges, and it is kept for comment-preserving write-back) and a LineCounter that
// turns offsets into 1-based line:col. Shared by the milestone and the config loaders.
import type { Document, LineCounter, YAMLError } from "yaml";
import { yamlLib } from "./yaml-lib.ts";
import type { Problem } from "../errors.ts";
import { displayPath } from "../store/display-path.ts";
import { parsePlainYaml } from "./plain-yaml.ts";

/** A path into the parsed data, as zod reports it: keys and list indices. */
export type YamlPath = ReadonlyArray<PropertyKey>;

export interface YamlSource {
  /** Absolute path. */
  file: string;
  /** The file's original content. */
  text: string;
  doc: Document;
}

export interface ParsedYaml {
  source: YamlSource;
  /** Syntax errors and duplicate keys; when there are any, the data is not to be trusted. */
  errors: Problem[];
  warnings: Problem[];
}

const lineCounters = new WeakMap<Document, LineCounter>();

export function parseYaml(file: string, text: string): ParsedYaml {
  const lineCounter = new (yamlLib().LineCounter)();
  // uniqueKeys turns a repeated key into an error instead of letting the last one win silently.
  const doc = yamlLib().parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  lineCounters.set(doc, lineCounter);
  const source = { file, text, doc };
  return {
    source,
    errors: doc.errors.map((e) => problemAtOffset(source, e.pos[0], yamlErrorMessage(source, e))),
    warnings: doc.warnings.map((w) => problemAtOffset(source, w.pos[0], `YAML: ${w.message}`)),
  };
}

/**
 * The fast path: the data of a file in the plain subset of YAML (plain-yaml.ts), with a source
 * whose document the yaml library builds only when something asks for it, i.e. a location for a
 * problem or a comment-preserving write. Null when the text needs the library (parseYaml).
 */
export function parsePlainSource(file: string, text: string): { source: YamlSource; data: Record<string, unknown> } | null {
  const data = parsePlainYaml(text);
  if (data === undefined) return null;
  let doc: Document | undefined;
  const source = {
    file,
    text,
    get doc(): Document {
      return (doc ??= parseYaml(file, text).source.doc);
    },
  };
  return { source, data: data as Record<string, unknown> };
}

/** The data of a YAML text, read without locations (yaml's `parse` when the fast path declines). */
export function parseData(text: string): unknown {
  const data = parsePlainYaml(text);
  return data === undefined ? yamlLib().parse(text) : data;
}

/** Whether the document has no content at all (an empty file, or only comments). */
export function isEmptyDocument(source: YamlSource): boolean {
  return source.doc.contents === null;
}

/** A problem located at the node `path` points to, or at its nearest existing parent. */
export function problemAt(source: YamlSource, path: YamlPath, message: string): Problem {
  for (let n = path.length; n > 0; n--) {
    const node = source.doc.getIn(path.slice(0, n) as unknown[], true);
    if (yamlLib().isNode(node) && node.range) return problemAtOffset(source, node.range[0], message);
  }
  const root = source.doc.contents;
  return problemAtOffset(source, root?.range ? root.range[0] : 0, message);
}

/** The 1-based line of the node `path` points to (or its nearest existing parent). */
export function lineOf(source: YamlSource, path: YamlPath): number {
  return problemAt(source, path, "").line;
}

export function problemAtOffset(source: YamlSource, offset: number, message: string): Problem {
  const { line, col } = lineCounter(source).linePos(offset);
  return { file: displayPath(source.file), line, col, message };
}

/** `tasks[1].retries`: how a path is named in messages. */
export function formatPath(path: YamlPath): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function lineCounter(source: YamlSource): LineCounter {
  let counter = lineCounters.get(source.doc);
  if (!counter) {
    // A source not made by parseYaml: count its lines once.
    counter = new (yamlLib().LineCounter)();
    counter.addNewLine(0);
    for (let i = source.text.indexOf("\n"); i !== -1; i = source.text.indexOf("\n", i + 1)) counter.addNewLine(i + 1);
    lineCounters.set(source.doc, counter);
  }
  return counter;
}

function yamlErrorMessage(source: YamlSource, error: YAMLError): string {
  if (error.code === "DUPLICATE_KEY") {
    // The error marks where the repeated key starts; the key itself runs up to its colon.
    const key = /^("[^"\n]*"|'[^'\n]*'|[^:#\n]*?)\s*:/.exec(source.text.slice(error.pos[0]))?.[1];
    return `duplicate key${key ? ` ${key.startsWith("'") || key.startsWith('"') ? key : `'${key}'`}` : ""}: each key may appear only once in a mapping`;
  }
  return `invalid YAML: ${error.message}`;
}
