// The line editor's promise: after any sequence of the engine's edits, the text reads (with the
// yaml library) as the original data with exactly those edits applied, and every line it did not
// have to change is still there, in order, byte for byte.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PlainYamlEditor, render, type EditPath } from "../../src/milestone/plain-yaml-edit.ts";

const EXAMPLES = path.resolve(import.meta.dirname, "../../examples/.milestones");

const FILES: Record<string, string> = {
  indentedList: "id: m\ntitle: M\ntasks:\n  - id: a\n    title: A\n    run: 'true'\n  - id: b\n    dependencies: [a]\n    run: \"echo b\"\n",
  flushList: "id: m\ntasks:\n- id: a\n  title: A\n  depends_on:\n  - x\n- id: b\n  title: B\n",
  comments:
    "# the plan\nid: m # its id\nstatus: planned   # engine-owned\n\n# tasks follow\ntasks:\n  # first\n  - id: a # the first\n    status: pending # not yet\n    description: |\n      Line one.\n      # not a comment, part of the text\n    # about b\n  - id: b\n    title: \"B\"\n    status: \"pending\"\n    started_at: 'x'\n\n# trailing comment\n",
  engineBlocks:
    "id: m\nstatus: in_progress\nexecution:\n  started_at: \"2026-01-01T00:00:00Z\"\n  # session of the first run\n  session_id: s1\nprogress:\ntasks:\n  - id: a\n    env:\n      A: \"1\"\n    commit: abc\nblockers: []\nnotes: kept\n",
  noTrailingNewline: "id: m\ntasks:\n  - id: a\n    title: A",
};
for (const dir of ["active", "completed"]) {
  for (const name of fs.readdirSync(path.join(EXAMPLES, dir))) FILES[`example ${name}`] = fs.readFileSync(path.join(EXAMPLES, dir, name), "utf8");
}

// A seeded generator, so a failure names an input that can be replayed.
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const VALUES = ["in_progress", "completed", "2026-11-24T01:32:01.632Z", "a1b2c3d4e5", "1234", "true", "null", "it's", 'say "hi"', "a: b", "x #y", " padded ", "- dash", "[x]", "multi\nline", "héllo ✓", "", 42, 33.5, true, null];

/** Edits the engine makes, drawn at random: task fields, top-level status, execution/progress keys, blockers. */
function randomEdit(next: () => number, tasks: number): { path: EditPath; value: unknown } {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
  const value = pick(VALUES);
  const roll = next();
  if (roll < 0.6 && tasks > 0) return { path: ["tasks", Math.floor(next() * tasks), pick(["status", "started_at", "completed_at", "commit"])], value };
  if (roll < 0.7) return { path: ["status"], value };
  if (roll < 0.9) return { path: [pick(["execution", "progress"]), pick(["started_at", "session_id", "percentage", "last_update"])], value };
  return { path: ["blockers"], value: next() < 0.3 ? [] : [{ type: "disk_space", detail: String(value), task: null, detected_at: "2026-11-24T00:00:00Z" }] };
}

function setIn(data: Record<string, unknown>, p: EditPath, value: unknown): void {
  let node = data as Record<string | number, unknown>;
  for (const step of p.slice(0, -1)) {
    if (node[step] === null || typeof node[step] !== "object") node[step] = {};
    node = node[step] as Record<string | number, unknown>;
  }
  node[p[p.length - 1]] = value;
}

// Whether `inner`'s lines appear in `outer` in the same order (others may sit between them).
function isSubsequence(inner: string[], outer: string[]): boolean {
  let j = 0;
  for (const line of outer) if (j < inner.length && line === inner[j]) j++;
  return j === inner.length;
}

describe("PlainYamlEditor", () => {
  for (const [name, text] of Object.entries(FILES)) {
    it(`${name}: random engine edits read back as the same edits on the data`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const editor = PlainYamlEditor.from(text);
        expect(editor, `${name} is plain YAML`).toBeDefined();
        const expected = parse(text) as Record<string, unknown>;
        const tasks = (expected.tasks as unknown[]).length;
        const next = random(seed);
        const edited = new Set<string>();
        for (let n = 0; n < 12; n++) {
          const { path: p, value } = randomEdit(next, tasks);
          if (editor!.set(p, value) === "unsupported") continue;
          setIn(expected, p, value);
          edited.add(p[0] === "tasks" ? `tasks.${String(p[1])}` : String(p[0]));
          expect(editor!.get(p), `seed ${seed}: get after set`).toStrictEqual(value);
        }
        const out = editor!.toString();
        expect(parse(out), `seed ${seed}:\n${out}`).toStrictEqual(expected);
        // Comments and every untouched line survive in order.
        const untouched = text.split("\n").filter((l) => !/^\s*(- )?(status|started_at|completed_at|commit|session_id|percentage|last_update|blockers|progress|execution):/.test(l) && !/^\s+(- )?(type|detail|task|detected_at):/.test(l));
        expect(isSubsequence(untouched, out.split("\n")), `seed ${seed}:\n${out}`).toBe(true);
      }
    });
  }

  it("keeps a scalar's quoting style and its trailing comment", () => {
    const editor = PlainYamlEditor.from(FILES.comments)!;
    editor.set(["tasks", 0, "status"], "completed");
    editor.set(["tasks", 1, "status"], "in_progress");
    editor.set(["tasks", 1, "started_at"], "2026-11-24T00:00:00Z");
    editor.set(["status"], "in_progress");
    const out = editor.toString();
    expect(out).toContain("    status: completed # not yet\n");
    expect(out).toContain('    status: "in_progress"\n');
    expect(out).toContain("    started_at: '2026-11-24T00:00:00Z'\n");
    expect(out).toContain("status: in_progress   # engine-owned\n");
  });

  it("adds a missing field at the end of its task, before comments that lead into the next one", () => {
    const editor = PlainYamlEditor.from(FILES.comments)!;
    expect(editor.set(["tasks", 0, "completed_at"], "2026-11-24T00:00:00Z")).toBe("changed");
    expect(editor.toString()).toContain("      # not a comment, part of the text\n    completed_at: 2026-11-24T00:00:00Z\n    # about b\n");
  });

  it("reports an unchanged value as same, and edits it cannot make as unsupported", () => {
    const editor = PlainYamlEditor.from(FILES.indentedList)!;
    expect(editor.set(["tasks", 0, "title"], "A")).toBe("same");
    expect(editor.set(["tasks", 1, "dependencies"], "x")).toBe("unsupported"); // a flow list
    expect(editor.set(["tasks", 0, "env", "A"], "1")).toBe("unsupported");
    expect(editor.set(["tasks", 9, "status"], "x")).toBe("unsupported");
    expect(editor.set(["tasks", 0, "status"], { not: "a scalar" })).toBe("unsupported");
  });

  it("declines text outside the plain subset", () => {
    expect(PlainYamlEditor.from("id: m\ntasks: &t []\n")).toBeUndefined();
    expect(PlainYamlEditor.from("  id: m\n  tasks: []\n")).toBeUndefined();
    expect(PlainYamlEditor.from("id: m\ntasks:\n  - plain item\n")).toBeUndefined();
  });

  it("renders strings plain only when they read back as the same string", () => {
    for (const value of VALUES.filter((v): v is string => typeof v === "string")) {
      const text = `k: ${render(value, "plain")}\n`;
      expect(parse(text), text).toStrictEqual({ k: value });
    }
    expect(render("in_progress", "plain")).toBe("in_progress");
    expect(render("1234", "plain")).toBe('"1234"');
    expect(render("it's", "single")).toBe("'it''s'");
  });

  it("prints a 1,000-task file after a change without re-reading it", () => {
    const tasks = Array.from({ length: 1000 }, (_, i) => `  - id: t${i}\n    title: step ${i}\n    run: "true"\n${i ? `    dependencies: [t${i - 1}]\n` : ""}`);
    const text = `id: big\ntitle: Big\ntasks:\n${tasks.join("")}`;
    const editor = PlainYamlEditor.from(text)!;
    for (let i = 0; i < 1000; i++) editor.set(["tasks", i, "status"], "completed");
    const out = editor.toString();
    expect((parse(out) as { tasks: Array<{ status: string }> }).tasks.every((t) => t.status === "completed")).toBe(true);
    expect(out.split("\n").length).toBe(text.split("\n").length + 1000);
    // Written in pieces small enough to die young, which join to the same text.
    const chunks = editor.chunks();
    expect(chunks.join("")).toBe(out);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(40 * 1024);
  });
});
