import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { parsePlainYaml } from "../../src/milestone/plain-yaml.ts";

// What the yaml library makes of a text, the way the loaders call it.
function library(text: string): { ok: true; data: unknown } | { ok: false } {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length || doc.warnings.length) return { ok: false };
  return { ok: true, data: doc.toJS() };
}

// The promise: whatever the fast reader accepts, it reads exactly as the library does.
function expectSameAsLibrary(text: string): boolean {
  const fast = parsePlainYaml(text);
  if (fast === undefined) return false;
  const slow = library(text);
  expect(slow.ok, `the library rejects what the fast reader read:\n${text}`).toBe(true);
  if (slow.ok) expect(fast, text).toStrictEqual(slow.data);
  return true;
}

const ACCEPTED = [
  "id: m1\ntitle: A milestone\ntasks: []\n",
  "id: m1\ntasks:\n  - id: a\n    title: Build\n    run: npm run build\n  - id: b\n    title: Test\n    dependencies: [a]\n",
  "id: m1\ntasks:\n- id: a\n  title: t\n  depends_on:\n  - x\n  - 'y'\n  retries: 2\n",
  "# leading comment\nid: m1 # trailing comment\n\n\ntitle: \"quoted: with colon\"\ntasks: [] # none\n",
  "a: 1\nb: -2\nc: +3\nd: 0o17\ne: 0x1F\nf: 1.5\ng: .5\nh: 5.\ni: 1e3\nj: -.inf\nk: .NaN\nl: ~\nm: null\nn: True\no: FALSE\np:\nq: 30m\nr: 1_000\ns: 2024-01-01\nt: 1:30\n",
  "description: |\n  line one\n\n    indented\n  # not a comment\nnext: x\n",
  "description: |-\n  no final newline\n  two\n",
  "tasks:\n  - id: a\n    agent: |\n      Do the thing.\n      Carefully.\n\n    title: x\n",
  "defaults: { timeout: 30m, retries: 1 }\nenv: {NODE_ENV: test, DEBUG: \"1\", x: 'y z'}\n",
  "env: {}\nlist: []\nurl: http://example.com/#anchor\ncmd: echo a:b\nq: 'it''s'\nd: \"tab\\there \\\"q\\\" back\\\\slash\"\n",
  "list: [a, 'b c', \"d\", 1, true, null, -1]\nspaced: [ a , b ]\n",
  "outer:\n  inner:\n    deep: 1\n  other: [x]\nlast: y\n",
  "seq:\n  -\n    a: 1\n  - b\n  -\n  - # comment\n    c: 2\n",
  "  indented: root\n  second: 2\n",
  "a: |\n\n  leading blank\nb: |\nc: 3\n",
  "key: -dash\n",
  "unicode: héllo wörld ✓\nemoji: \"🚀\"\n",
];

const REJECTED = [
  "", // empty: the library's to report
  "# only a comment\n",
  "- a\n- b\n", // a list at the top
  "just a scalar\n",
  "a: 1\na: 2\n", // duplicate key
  "a: &x 1\nb: *x\n",
  "a: !tag x\n",
  "a: >\n  folded\n",
  "a: |+\n  keep\n",
  "a: |2\n  explicit\n",
  "a: plain\n  continued\n",
  "a: \"multi\n  line\"\n",
  "a: {b: [1]}\n",
  "a: {b: 1, }\n",
  "a: {b}\n",
  "a: {b:1}\n",
  "a: {b: 1, b: 2}\n",
  "a: {\"b\": 1}\n",
  "a: {b: http://x}\n",
  "a: [x,\n  y]\n",
  "a: [x, y,]\n",
  "a:\tb\n",
  "a: b\r\nc: d\r\n",
  "---\na: 1\n",
  "%YAML 1.2\n---\na: 1\n",
  "a: b: c\n",
  "? complex\n: key\n",
  "\"quoted key\": 1\n",
  "a: @reserved\n",
  "a: `tick\n",
  "a:b\n",
  "a: x\n  b: y\n",
  "a:\n  - x\n  b: y\n",
  "a: |\n  last line without newline",
  "null: 1\n",
  "__proto__: 1\n",
  "a: \"\\x41\"\n",
  "a: - b\n",
  "list:\n  - - nested\n",
];

describe("parsePlainYaml", () => {
  it.each(ACCEPTED)("reads %j exactly as the yaml library does", (text) => {
    expect(expectSameAsLibrary(text)).toBe(true);
  });

  it.each(REJECTED)("leaves %j to the yaml library", (text) => {
    expect(parsePlainYaml(text)).toBeUndefined();
  });

  it("reads a 10,000-task milestone as the library does", () => {
    const lines = ["id: big", "title: Big", "tasks:"];
    for (let i = 0; i < 10_000; i++) {
      lines.push(`  - id: t${i}`, `    title: step ${i}`, '    run: "true"');
      if (i) lines.push(`    dependencies: [t${i - 1}]`);
    }
    expect(expectSameAsLibrary(`${lines.join("\n")}\n`)).toBe(true);
  });

  // Random documents from tricky pieces, and random damage to them: the reader may decline any
  // of them, but what it accepts must equal the library's reading.
  it("agrees with the library on random and damaged documents", () => {
    const random = mulberry32(Number(process.env.PLAIN_YAML_SEED ?? 20261123));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    let accepted = 0;
    const total = Number(process.env.PLAIN_YAML_FUZZ ?? 3000);
    for (let n = 0; n < total; n++) {
      let text = randomDocument(random, pick);
      if (n % 2) text = damage(text, random, pick);
      if (expectSameAsLibrary(text)) accepted++;
    }
    // The generator must exercise the fast path, not only the fallback.
    expect(accepted).toBeGreaterThan(total / 4);
  });
});

// Mostly what milestone files hold, some of it tricky; then what only the library may read.
const SCALARS = [
  "plain", "two words", "a:b", "http://x/#y", "30m", "1h", "-1", "+1", "0", "007", "1.0", "1e5", ".inf", "-.Inf", ".nan",
  "0x1f", "0o7", "0o8", "~", "null", "Null", "true", "False", "yes", "no", "on", "2024-01-01", "1:30", "1_000", "-x", "--flag",
  "'single'", "'it''s'", '"double"', '"esc \\" \\\\ \\n"', '"a: b"', "'#hash'", '"#x"', "[]", "[a, b]", "[1, 'x', \"y\"]", "{}",
  "a # comment", "é ✓", "a  b  ", "[ a ]", "[a,b]", "{ a: 1, b: x }", "{a: 1}", "{ timeout: 30m, retries: 1 }", "{ a: 'q', b: \"d\" }", "{ }",
];
const ODD_SCALARS = [
  "x:", "a: b", "@at", "`tick", "%pc", "&anchor", "*alias", "!tag", "? q", ": c", ", c", "] b", "#c", "|", "|-", ">",
  "-", "- x", "[a, , b]", "\"unterminated", "'unterminated", "{ a: 1, }", "{ a }", "{ a:1 }", "{ a: [1] }", "{ a: 1, a: 2 }",
  "{ \"a\": 1 }", "{ a: b: c }", "{ null: 1 }", "{ a: }",
];
const KEYS = ["id", "title", "run", "a", "b", "env", "x.y", "k-1", "_u", "description", "timeout", "retries", "dependencies"];
const ODD_KEYS = ["null", "True", "1", "key with space", "\"q\"", "a"];
const BLOCK_LINES = ["text", "  more indented", "", "# not a comment", "- not a list", "key: not a map", "   ", "\ttab"];

function randomDocument(random: () => number, pick: <T>(xs: readonly T[]) => T): string {
  const lines: string[] = [];
  const scalar = () => (random() < 0.9 ? pick(SCALARS) : pick(ODD_SCALARS));
  const mapping = (indent: number, depth: number, first?: string) => {
    const count = 1 + Math.floor(random() * 4);
    const keys = new Set<string>();
    for (let k = 0; k < count; k++) {
      const pad = k === 0 && first !== undefined ? first : " ".repeat(indent);
      let key = random() < 0.95 ? pick(KEYS) : pick(ODD_KEYS);
      if (keys.has(key) && random() < 0.9) key = `${key}${k}`;
      keys.add(key);
      const r = random();
      if (r < 0.55 || depth > 2) lines.push(`${pad}${key}: ${scalar()}`);
      else if (r < 0.7) {
        lines.push(`${pad}${key}:`);
        mapping(indent + pick([1, 2, 4]), depth + 1);
      } else if (r < 0.85) {
        lines.push(`${pad}${key}:`);
        sequence(indent + pick([0, 2]), depth + 1);
      } else {
        lines.push(`${pad}${key}: ${pick(["|", "|-", "|", "| # c"])}`);
        const inner = " ".repeat(indent + pick([1, 2, 2, 4]));
        const n = Math.floor(random() * 4);
        for (let l = 0; l < n; l++) {
          const line = random() < 0.9 ? pick(BLOCK_LINES.slice(0, 6)) : pick(BLOCK_LINES);
          lines.push(line === "" ? "" : `${inner}${line}`);
        }
      }
      if (random() < 0.1) lines.push(`${" ".repeat(Math.floor(random() * 6))}# comment`);
      if (random() < 0.1) lines.push("");
    }
  };
  const sequence = (indent: number, depth: number) => {
    const count = 1 + Math.floor(random() * 3);
    for (let k = 0; k < count; k++) {
      const pad = " ".repeat(indent);
      const r = random();
      if (r < 0.4 || depth > 2) lines.push(`${pad}- ${scalar()}`);
      else if (r < 0.9) mapping(indent + 2, depth + 1, `${pad}- `);
      else {
        lines.push(`${pad}-`);
        mapping(indent + 2, depth + 1);
      }
    }
  };
  mapping(0, 0);
  return `${lines.join("\n")}${random() < 0.9 ? "\n" : ""}`;
}

function damage(text: string, random: () => number, pick: <T>(xs: readonly T[]) => T): string {
  const at = Math.floor(random() * (text.length + 1));
  const r = random();
  if (r < 0.4) return text.slice(0, at) + pick([" ", "\n", ":", "-", "#", "'", '"', "[", "]", ",", "  ", "|"]) + text.slice(at);
  if (r < 0.8) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + text.slice(at).replace(/\n/, "\n ");
}

// A small seeded PRNG, so that a failure can be reproduced.
function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
