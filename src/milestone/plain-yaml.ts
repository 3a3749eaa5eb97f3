// A fast reader for the plain subset of YAML that milestone and config files are written in:
// block mappings and sequences, plain and quoted one-line scalars, one-line flow lists and flow
// mappings of scalars, literal block scalars (`|`, `|-`) and comments. The yaml library builds
// a document of located nodes, which we need for line:col errors and comment-preserving writes,
// but which takes over a second for a 10,000-task file; this reads the same data 15–25 times
// faster.
//
// It returns undefined for anything outside the subset (anchors, tags, folded or multi-line
// scalars, nested flow collections, tabs, directives, duplicate keys, syntax errors…), and the
// caller falls back to the yaml library, which then also reports any error with its location.
// Inside the subset the result equals yaml's parse() (YAML 1.2 core schema), as
// test/milestone/plain-yaml.test.ts checks against the library on hand-written and random input.
//
// This file reads the block structure; plain-yaml-scalars.ts the scalars and one-line collections.
import {
  SPECIAL_KEYS, UNSUPPORTED, doubleQuoted, flowList, flowMap, indentOf, isDashAt, keyEnd, plainScalar, scanned, singleQuoted, unsupported,
} from "./plain-yaml-scalars.ts";

// Forbidden anywhere: tabs, CR, control characters, BOM and non-characters (left to the library).
const OUTSIDE_SUBSET = /[\x00-\x09\x0B-\x1F\x7F-\x9F\uFEFF\uFFFE\uFFFF]/;
// Document start and end markers and directives: several documents, or a YAML version.
const DOCUMENT_MARKERS = /^(?:---|\.\.\.|%)/m;
// A plain key and its colon, as keyEnd reads one: `- id: a` starts a mapping in a list.
const KEY = /^[A-Za-z_][\w.-]*:(?: |$)/;

/** The data of `text` if it lies in the plain subset, else undefined. */
export function parsePlainYaml(text: string): unknown {
  if (OUTSIDE_SUBSET.test(text) || DOCUMENT_MARKERS.test(text)) return undefined;
  try {
    return new PlainReader(text).document();
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

class PlainReader {
  private readonly lines: string[];
  private readonly indents: number[];
  private readonly endsWithNewline: boolean;
  private i = 0;

  constructor(text: string) {
    this.lines = text.split("\n");
    this.endsWithNewline = text.endsWith("\n");
    if (this.endsWithNewline) this.lines.pop();
    this.indents = this.lines.map(indentOf);
  }

  document(): Record<string, unknown> {
    this.skip();
    // Only a mapping at the top: an empty file or a lone scalar is the library's to judge.
    if (this.i === this.lines.length || this.isDash(this.i)) unsupported();
    const root = this.mapping(this.indents[this.i]);
    this.skip();
    if (this.i < this.lines.length) unsupported();
    return root;
  }

  // Moves past blank and comment lines.
  private skip(): void {
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      const at = this.indents[this.i];
      if (at < line.length && line.charCodeAt(at) !== 35 /* # */) return;
      this.i++;
    }
  }

  private isDash(i: number): boolean {
    return isDashAt(this.lines[i], this.indents[i]);
  }

  // A block node whose first line (the current one) is indented by `indent`.
  private block(indent: number): unknown {
    return this.isDash(this.i) ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skip();
      if (this.i === this.lines.length || this.indents[this.i] < indent) return out;
      if (this.indents[this.i] > indent || this.isDash(this.i)) unsupported();
      const line = this.lines[this.i];
      const colon = keyEnd(line, indent);
      const key = line.slice(indent, colon);
      if (SPECIAL_KEYS.has(key) || Object.hasOwn(out, key)) unsupported();
      let at = colon + 1;
      while (line.charCodeAt(at) === 32) at++;
      out[key] = this.value(line.slice(at), indent, true);
    }
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.i === this.lines.length || this.indents[this.i] < indent) return out;
      if (this.indents[this.i] > indent) unsupported();
      // A line at this indent that is not an item ends the list (the next key of a mapping
      // whose value the list is); anything else there is the caller's to judge.
      if (!this.isDash(this.i)) return out;
      const line = this.lines[this.i];
      let at = indent + 1;
      while (line.charCodeAt(at) === 32) at++;
      const rest = line.slice(at);
      if (KEY.test(rest)) {
        // `- key: value`: a mapping whose keys line up with this first one; from here on the
        // line reads as if the dash were a space.
        this.indents[this.i] = at;
        out.push(this.mapping(at));
      } else if (rest === "-" || rest.startsWith("- ")) {
        unsupported();
      } else {
        out.push(this.value(rest, indent, false));
      }
    }
  }

  // The value after `key:` or `-` on the current line; `indent` is that key's or dash's.
  private value(rest: string, indent: number, ofKey: boolean): unknown {
    if (rest === "" || rest.charCodeAt(0) === 35 /* # */) {
      this.i++;
      this.skip();
      if (this.i === this.lines.length) return null;
      const next = this.indents[this.i];
      if (next > indent) return this.block(next);
      // A list may sit at its key's own indent (`tasks:` then `- id: …` below it).
      if (ofKey && next === indent && this.isDash(this.i)) return this.sequence(indent);
      return null;
    }
    let result: unknown;
    let after = "";
    switch (rest.charCodeAt(0)) {
      case 124 /* | */:
        if (rest !== "|" && rest !== "|-") unsupported();
        return this.literal(indent, rest === "|-");
      case 34 /* " */:
        result = doubleQuoted(rest, 1);
        after = rest.slice(scanned);
        break;
      case 39 /* ' */:
        result = singleQuoted(rest, 1);
        after = rest.slice(scanned);
        break;
      case 91 /* [ */:
        result = flowList(rest);
        after = rest.slice(scanned);
        break;
      case 123 /* { */:
        result = flowMap(rest);
        after = rest.slice(scanned);
        break;
      default:
        result = plainScalar(rest);
    }
    if (after !== "" && !/^ +(#.*)?$/.test(after)) unsupported();
    this.i++;
    // A deeper line after a one-line value would continue it (or be an error): the library's.
    this.skip();
    if (this.i < this.lines.length && this.indents[this.i] > indent) unsupported();
    return result;
  }

  // A literal block scalar after `|` (clip) or `|-` (strip), its lines deeper than `indent`.
  private literal(indent: number, strip: boolean): string {
    this.i++;
    const body: string[] = [];
    let contentIndent = -1;
    let end = this.i;
    for (let j = this.i; j < this.lines.length; j++) {
      const line = this.lines[j];
      if (line === "") {
        body.push("");
        continue;
      }
      const at = this.indents[j];
      if (at === line.length) unsupported(); // spaces only: their meaning depends on the indent
      if (contentIndent === -1) {
        if (at <= indent) break;
        contentIndent = at;
      }
      if (at < contentIndent) {
        if (at > indent) unsupported();
        break;
      }
      body.push(line.slice(contentIndent));
      end = j + 1;
    }
    // Without a final newline the last line would keep no line break: rare, the library's.
    if (end === this.lines.length && contentIndent !== -1 && !this.endsWithNewline) unsupported();
    body.length = end - this.i;
    this.i = end;
    while (body.length && body[body.length - 1] === "") body.pop();
    if (body.length === 0) return "";
    return strip ? body.join("\n") : `${body.join("\n")}\n`;
  }
}
