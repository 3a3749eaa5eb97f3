// The scalars of the plain YAML subset (plain-yaml.ts): plain ones as YAML 1.2's core schema
// reads them, one-line quoted ones, and one-line flow lists and mappings of them. Each reader
// returns the value and sets `scanned` to where it ended, or throws UNSUPPORTED.

/** Thrown when the text leaves the subset; parsePlainYaml catches it and declines. */
export const UNSUPPORTED = Symbol("unsupported");

export function unsupported(): never {
  throw UNSUPPORTED;
}

// Keys the core schema would read as null or a boolean: rare, and left to the library.
export const SPECIAL_KEYS = new Set(["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "__proto__"]);

// Where the plain key starting at `from` ends: its colon, which a space or the line's end follows.
export function keyEnd(line: string, from: number): number {
  let j = from;
  let c = line.charCodeAt(j);
  if (!(isLetter(c) || c === 95)) unsupported();
  for (c = line.charCodeAt(++j); isLetter(c) || isDigit(c) || c === 95 || c === 45 || c === 46; c = line.charCodeAt(++j));
  if (c !== 58 /* : */ || (j + 1 < line.length && line.charCodeAt(j + 1) !== 32)) unsupported();
  return j;
}

/** How many spaces the line starts with. */
export function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n++;
  return n;
}

/** Whether the line holds a list item's dash at `at`: `-` followed by a space or the line's end. */
export function isDashAt(line: string, at: number): boolean {
  return line.charCodeAt(at) === 45 /* - */ && (at + 1 === line.length || line.charCodeAt(at + 1) === 32);
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;

// A plain scalar filling the rest of a line, up to a ` #` comment.
export function plainScalar(rest: string): unknown {
  const comment = rest.indexOf(" #");
  const text = (comment === -1 ? rest : rest.slice(0, comment)).trimEnd();
  // Indicators that cannot start a plain scalar, or that start a construct we leave alone.
  if (/^([-?:](?: |$)|[?:,\]}#&*!|>%@`])/.test(text)) unsupported();
  if (text.includes(": ") || text.endsWith(":")) unsupported();
  return resolvePlain(text);
}

const MAYBE_NOT_TEXT = /^(?:$|[-+.0-9~nNtTfF])/;

/** What YAML 1.2's core schema makes of a plain scalar (the yaml library's default). */
export function resolvePlain(text: string): unknown {
  // Every non-string starts with one of these: most scalars (ids, titles, commands) do not.
  if (!MAYBE_NOT_TEXT.test(text)) return text;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return text[0] === "t" || text[0] === "T";
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) return text.endsWith("n") || text.endsWith("N") ? NaN : text[0] === "-" ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) return parseFloat(text);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) return parseFloat(text);
  return text;
}

const ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', n: "\n", t: "\t", "/": "/" };

// Where the last quoted scalar or flow collection read ended: the index just after it. (A returned
// pair would be neater, but destructuring one is slow in code that runs only once, cold.)
export let scanned = 0;

// A one-line double-quoted scalar starting after the quote at `from`; sets `scanned`.
export function doubleQuoted(line: string, from: number): string {
  const end = line.indexOf('"', from);
  if (end === -1) unsupported();
  // Most quoted scalars escape nothing.
  if (line.lastIndexOf("\\", end) < from) {
    scanned = end + 1;
    return line.slice(from, end);
  }
  let out = "";
  for (let j = from; j < line.length; j++) {
    const c = line[j];
    if (c === '"') {
      scanned = j + 1;
      return out;
    }
    if (c === "\\") {
      const escaped = ESCAPES[line[++j]];
      if (escaped === undefined) unsupported();
      out += escaped;
    } else out += c;
  }
  return unsupported();
}

// A one-line single-quoted scalar starting after the quote at `from`; sets `scanned`.
export function singleQuoted(line: string, from: number): string {
  let out = "";
  for (let j = from; j < line.length; j++) {
    if (line[j] !== "'") out += line[j];
    else if (line[j + 1] === "'") out += line[++j];
    else {
      scanned = j + 1;
      return out;
    }
  }
  return unsupported();
}

// Characters that end a plain scalar in a flow list, or that we leave to the library there.
const FLOW_STOP = new Uint8Array(128);
for (const c of ",[]{}#:\"'") FLOW_STOP[c.charCodeAt(0)] = 1;

// A one-line flow list of scalars, `[a, "b", 'c']`; sets `scanned`.
export function flowList(line: string): unknown[] {
  const out: unknown[] = [];
  let j = spacesFrom(line, 1);
  if (line[j] === "]") {
    scanned = j + 1;
    return out;
  }
  for (;;) {
    out.push(flowScalar(line, j));
    j = spacesFrom(line, scanned);
    if (line[j] === "]") {
      scanned = j + 1;
      return out;
    }
    if (line[j] !== ",") unsupported();
    j = spacesFrom(line, j + 1);
    if (line[j] === "]") unsupported(); // a trailing comma: valid, but the library's to read
  }
}

// A one-line flow mapping of plain keys to scalars, `{ timeout: 30m, retries: 1 }`; sets `scanned`.
export function flowMap(line: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let j = spacesFrom(line, 1);
  if (line[j] === "}") {
    scanned = j + 1;
    return out;
  }
  for (;;) {
    const colon = keyEnd(line, j);
    const key = line.slice(j, colon);
    if (SPECIAL_KEYS.has(key) || Object.hasOwn(out, key)) unsupported();
    out[key] = flowScalar(line, spacesFrom(line, colon + 1));
    j = spacesFrom(line, scanned);
    if (line[j] === "}") {
      scanned = j + 1;
      return out;
    }
    if (line[j] !== ",") unsupported();
    j = spacesFrom(line, j + 1);
    if (line[j] === "}") unsupported(); // a trailing comma, as above
  }
}

// A quoted or plain scalar inside a flow collection, starting at `from`; sets `scanned`.
function flowScalar(line: string, from: number): unknown {
  if (line[from] === '"') return doubleQuoted(line, from + 1);
  if (line[from] === "'") return singleQuoted(line, from + 1);
  let j = from;
  for (let c = line.charCodeAt(j); j < line.length && (c >= 128 || FLOW_STOP[c] === 0); c = line.charCodeAt(++j));
  const text = line.slice(from, j).trimEnd();
  if (text === "" || /^[-?](?: |$)|^[&*!|>%@`]/.test(text)) unsupported();
  scanned = j;
  return resolvePlain(text);
}

function spacesFrom(line: string, from: number): number {
  let j = from;
  while (line.charCodeAt(j) === 32) j++;
  return j;
}
