// Edits of a milestone file written in the plain YAML subset (plain-yaml.ts), made on its lines:
// setting a task's status replaces one line, adding a field inserts one, and every other line
// stays byte for byte as the person wrote it. The yaml library's Document (yaml-document-edit.ts)
// does the same for any YAML, but building one for a 1,000-task file and printing it again after
// every batch of changes was a third of the engine's time per task, and over a second at
// 10,000 tasks. An edit this cannot make (a value that spans lines or is a flow collection, a path
// that is not a mapping) returns "unsupported" and the writer moves on to the Document.
import { yamlLib } from "./yaml-lib.ts";
import { parsePlainYaml } from "./plain-yaml.ts";
import { UNSUPPORTED, doubleQuoted, indentOf, isDashAt, keyEnd, plainScalar, scanned, singleQuoted } from "./plain-yaml-scalars.ts";

/** What a set did: changed the text, found the value already there, or could not be made here. */
export type EditResult = "changed" | "same" | "unsupported";
export type EditPath = ReadonlyArray<string | number>;

/** A text that takes edits of values at paths: the plain line editor or the yaml Document. */
export interface EditableYaml {
  set(path: EditPath, value: unknown): EditResult;
  /** The value at `path` as plain data; undefined if absent. */
  get(path: EditPath): unknown;
  toString(): string;
  /** The text in pieces that join to toString(): a large file written piece by piece never
   *  becomes one string, which V8 would keep in its large-object space until a full GC. */
  chunks(): string[];
}

type Style = "plain" | "double" | "single";

// Well under V8's largest regular object (128 KB), so that a piece dies young.
const CHUNK_CHARS = 32 * 1024;

/**
 * A block mapping held as its own lines, one key per line at `keyIndent` (the first line may be
 * a list item's `- key: value`). Values on the key's line can be replaced; new keys go after the
 * mapping's last line of content, which is where the yaml library appends them too.
 */
class BlockMap {
  /** The line of each key, and the last line that belongs to the mapping's content (not a
   *  trailing comment or blank): found on the first edit, since a resume builds a map for every
   *  task of the file and edits only some of them before its first task starts. */
  private index: { fields: Map<string, number>; lastContent: number } | null = null;
  private cached: string | null = null;

  constructor(
    readonly lines: string[],
    readonly keyIndent: number,
    /** The first line that may hold a key: 0 for a list item (its `- key:` line), else 1. */
    private readonly first: number,
  ) {}

  private scan(): { fields: Map<string, number>; lastContent: number } {
    const { lines, keyIndent } = this;
    const fields = new Map<string, number>();
    let lastContent = this.first - 1;
    let literal = false;
    for (let j = this.first; j < lines.length; j++) {
      const line = lines[j];
      const at = indentOf(line);
      if (at === line.length) continue;
      // A literal block's lines are content even when they look like comments.
      if (literal && at > keyIndent) {
        lastContent = j;
        continue;
      }
      literal = false;
      const itemLine = j === 0;
      if (!itemLine && line.charCodeAt(at) === 35 /* # */) continue;
      lastContent = j;
      if (!itemLine && (at !== keyIndent || isDashAt(line, at))) continue;
      const colon = keyEnd(line, keyIndent);
      fields.set(line.slice(keyIndent, colon), j);
      const rest = valueOf(line, colon);
      literal = rest === "|" || rest === "|-";
    }
    return { fields, lastContent };
  }

  set(key: string, value: unknown): EditResult {
    if (this.index === null) {
      try {
        this.index = this.scan();
      } catch (error) {
        if (error === UNSUPPORTED) return "unsupported";
        throw error;
      }
    }
    const index = this.index;
    const j = index.fields.get(key);
    if (j === undefined) {
      const text = render(value, "plain");
      if (text === undefined) return "unsupported";
      this.lines.splice(index.lastContent + 1, 0, `${" ".repeat(this.keyIndent)}${key}: ${text}`);
      index.fields.set(key, ++index.lastContent);
      this.cached = null;
      return "changed";
    }
    const line = this.lines[j];
    const colon = keyEnd(line, this.keyIndent);
    const old = splitValue(line, colon);
    if (old === undefined) return "unsupported";
    const text = render(value, old.style);
    if (text === undefined) return "unsupported";
    const next = `${line.slice(0, colon)}: ${text}${old.after}`;
    if (next === line) return "same";
    this.lines[j] = next;
    this.cached = null;
    return "changed";
  }

  /** The mapping as data (`asItem`: its first line is a list item's). */
  data(asItem: boolean): Record<string, unknown> {
    const lines = asItem ? [" ".repeat(this.keyIndent) + this.lines[0].slice(this.keyIndent), ...this.lines.slice(1)] : this.lines;
    const text = `${lines.join("\n")}\n`;
    return (parsePlainYaml(text) ?? yamlLib().parse(text) ?? {}) as Record<string, unknown>;
  }

  toString(): string {
    return (this.cached ??= this.lines.join("\n"));
  }
}

/** One key of the file's top-level mapping with its lines (or, key null, the lines before the first). */
interface Entry {
  key: string | null;
  lines: string[];
  /** Set when the value is a block mapping or empty: its keys can be set one by one. */
  map: BlockMap | null;
}

export class PlainYamlEditor implements EditableYaml {
  private readonly entries: Entry[] = [];
  /** The `tasks:` entry's lines before its first item, and each item as a mapping. */
  private tasksHead: string[] = [];
  private items: BlockMap[] = [];
  private readonly endsWithNewline: boolean;

  /** An editor for `text`, or undefined when the text is outside the subset this edits.
   *  `plain`: parsePlainYaml already read this text (the loader's fast path), no need to again. */
  static from(text: string, plain = false): PlainYamlEditor | undefined {
    if (!plain && parsePlainYaml(text) === undefined) return undefined;
    try {
      return new PlainYamlEditor(text);
    } catch (error) {
      if (error === UNSUPPORTED) return undefined;
      throw error;
    }
  }

  private constructor(text: string) {
    this.endsWithNewline = text.endsWith("\n");
    const lines = text.split("\n");
    if (this.endsWithNewline) lines.pop();
    // The top-level mapping must start at column 0: its keys are the lines that start there.
    const first = lines.find((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
    if (first === undefined || first.charCodeAt(0) === 32) throw UNSUPPORTED;
    let current: Entry = { key: null, lines: [], map: null };
    for (const line of lines) {
      const c = line.charCodeAt(0);
      const startsKey = line.length > 0 && c !== 32 && c !== 35 /* # */ && !isDashAt(line, 0);
      if (startsKey) {
        this.close(current);
        current = { key: line.slice(0, keyEnd(line, 0)), lines: [], map: null };
      }
      current.lines.push(line);
    }
    this.close(current);
  }

  private close(entry: Entry): void {
    if (entry.lines.length === 0) return;
    this.entries.push(entry);
    if (entry.key === null) return;
    if (entry.key === "tasks") this.splitTasks(entry);
    else entry.map = blockMapOf(entry.lines);
  }

  private splitTasks(entry: Entry): void {
    const { lines } = entry;
    let seqIndent = -1;
    let start = -1;
    for (let j = 1; j < lines.length; j++) {
      const at = indentOf(lines[j]);
      // Dashes deeper than the first are lists inside a task (its dependencies).
      if (!isDashAt(lines[j], at) || (seqIndent !== -1 && at !== seqIndent)) continue;
      seqIndent = at;
      if (start === -1) this.tasksHead = lines.slice(0, j);
      else this.items.push(itemOf(lines.slice(start, j)));
      start = j;
    }
    if (start === -1) this.tasksHead = lines;
    else this.items.push(itemOf(lines.slice(start)));
  }

  set(path: EditPath, value: unknown): EditResult {
    const [key, ...rest] = path;
    if (typeof key !== "string") return "unsupported";
    if (key === "tasks") {
      const [index, field, ...deeper] = rest;
      const item = typeof index === "number" ? this.items[index] : undefined;
      if (item === undefined || typeof field !== "string" || deeper.length) return "unsupported";
      return item.set(field, value);
    }
    let entry = this.entries.find((e) => e.key === key);
    if (rest.length === 0) {
      if (value !== null && typeof value === "object") return this.replace(key, value, entry);
      if (entry === undefined) return this.append(key, value);
      const colon = keyEnd(entry.lines[0], 0);
      const old = splitValue(entry.lines[0], colon);
      const text = old && render(value, old.style);
      if (text === undefined) return "unsupported";
      const next = `${key}: ${text}${old!.after}`;
      if (next === entry.lines[0]) return "same";
      entry.lines[0] = next;
      return "changed";
    }
    if (rest.length > 1 || typeof rest[0] !== "string") return "unsupported";
    if (entry === undefined) {
      entry = { key, lines: [`${key}:`], map: null };
      entry.map = new BlockMap(entry.lines, 2, 1);
      this.entries.push(entry);
    }
    return entry.map ? entry.map.set(rest[0], value) : "unsupported";
  }

  get(path: EditPath): unknown {
    const [key, ...rest] = path;
    let value: unknown;
    if (key === "tasks" && typeof rest[0] === "number") {
      value = this.items[rest[0]]?.data(true);
      rest.shift();
    } else {
      const entry = this.entries.find((e) => e.key === key);
      if (entry === undefined) return undefined;
      value = key === "tasks" ? this.items.map((item) => item.data(true)) : (parsePlainYaml(`${entry.lines.join("\n")}\n`) as Record<string, unknown>)[key as string];
    }
    for (const step of rest) {
      if (value === null || typeof value !== "object") return undefined;
      value = (value as Record<string | number, unknown>)[step];
    }
    return value;
  }

  toString(): string {
    return this.chunks().join("");
  }

  chunks(): string[] {
    const chunks: string[] = [];
    // Parts joined once per chunk: a flat string, not a rope of a few hundred concatenations.
    let parts: string[] = [];
    let size = 0;
    const add = (part: string) => {
      if (size + part.length > CHUNK_CHARS && size > 0) {
        chunks.push(`${parts.join("\n")}\n`);
        parts = [];
        size = 0;
      }
      parts.push(part);
      size += part.length + 1;
    };
    for (const entry of this.entries) {
      if (entry.key !== "tasks") add(entry.map ? entry.map.toString() : entry.lines.join("\n"));
      else {
        if (this.tasksHead.length) add(this.tasksHead.join("\n"));
        for (const item of this.items) add(item.toString());
      }
    }
    chunks.push(this.endsWithNewline ? `${parts.join("\n")}\n` : parts.join("\n"));
    return chunks;
  }

  // A whole value (the blockers list): printed by the yaml library in place of the old one.
  private replace(key: string, value: object, entry: Entry | undefined): EditResult {
    const lines = yamlLib().stringify({ [key]: value }, { lineWidth: 0 }).trimEnd().split("\n");
    if (entry === undefined) {
      this.entries.push({ key, lines, map: blockMapOf(lines) });
      return "changed";
    }
    if (entry.key === "tasks") return "unsupported";
    const before = entry.map ? entry.map.toString() : entry.lines.join("\n");
    if (before === lines.join("\n")) return "same";
    entry.lines = lines;
    entry.map = blockMapOf(lines);
    return "changed";
  }

  private append(key: string, value: unknown): EditResult {
    const text = render(value, "plain");
    if (text === undefined) return "unsupported";
    const lines = [`${key}: ${text}`];
    this.entries.push({ key, lines, map: null });
    return "changed";
  }
}

// A top-level entry whose value is a block mapping or empty: its keys, indented like its first.
function blockMapOf(lines: string[]): BlockMap | null {
  if (valueOf(lines[0], keyEnd(lines[0], 0)) !== "") return null;
  for (let j = 1; j < lines.length; j++) {
    const at = indentOf(lines[j]);
    if (at === lines[j].length || lines[j].charCodeAt(at) === 35) continue;
    return isDashAt(lines[j], at) ? null : new BlockMap(lines, at, j);
  }
  return new BlockMap(lines, 2, 1);
}

// A list item `- key: value` and the lines below it, as a mapping.
function itemOf(lines: string[]): BlockMap {
  const line = lines[0];
  let at = indentOf(line) + 1;
  while (line.charCodeAt(at) === 32) at++;
  keyEnd(line, at); // throws UNSUPPORTED unless the item is a mapping
  return new BlockMap(lines, at, 0);
}

// The value text after a key's colon, without a trailing comment.
function valueOf(line: string, colon: number): string {
  const rest = line.slice(colon + 1).trim();
  return rest.startsWith("#") ? "" : rest;
}

/** A one-line scalar after `colon`: its quoting and what follows it (spaces, a comment). */
function splitValue(line: string, colon: number): { style: Style; after: string } | undefined {
  let at = colon + 1;
  while (line.charCodeAt(at) === 32) at++;
  const rest = line.slice(at);
  if (rest === "") return undefined;
  try {
    switch (rest.charCodeAt(0)) {
      case 34 /* " */:
        doubleQuoted(rest, 1);
        return { style: "double", after: rest.slice(scanned) };
      case 39 /* ' */:
        singleQuoted(rest, 1);
        return { style: "single", after: rest.slice(scanned) };
      case 91 /* [ */:
      case 123 /* { */:
      case 124 /* | */:
      case 35 /* # */:
        return undefined;
      default: {
        const comment = rest.indexOf(" #");
        const value = (comment === -1 ? rest : rest.slice(0, comment)).trimEnd();
        return { style: "plain", after: rest.slice(value.length) };
      }
    }
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

// Printable text the plain subset reads back as the same string when written without quotes.
const PLAIN_CANDIDATE = /^[^\s"'[\]{}][\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe]*$/;

/** `value` as a one-line YAML scalar in `style` where it can be; undefined for non-scalars. */
export function render(value: unknown, style: Style): string | undefined {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value !== "string") return undefined;
  if (style === "single" && !/[\x00-\x1f\x7f-\x9f]/.test(value)) return `'${value.replaceAll("'", "''")}'`;
  if (style === "plain" && PLAIN_CANDIDATE.test(value) && !value.endsWith(" ") && readsAsItself(value)) return value;
  return JSON.stringify(value);
}

function readsAsItself(text: string): boolean {
  try {
    return plainScalar(text) === text;
  } catch {
    return false;
  }
}
