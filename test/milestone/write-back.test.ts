// The milestone file's writer: a person's edit during a run is never written over, a valid one
// is adopted with the engine's fields carried over, an invalid one holds every write back.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MilestoneWriter } from "../../src/milestone/write-back.ts";

const ORIGINAL = "id: m\n# the plan\ntasks:\n  - id: a\n    title: A\n    run: 'true'\n";

function setup() {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mm-writer-")), "m.yaml");
  fs.writeFileSync(file, ORIGINAL);
  const seen: string[] = [];
  const writer = new MilestoneWriter(file, ORIGINAL, { onEdited: (text) => seen.push(text) });
  return { file, writer, seen };
}

// A write that the stat check must notice even within one mtime tick: a different size.
const edit = (file: string, text: string) => fs.writeFileSync(file, text);

describe("MilestoneWriter", () => {
  it("hands a person's edit to the handler instead of writing over it", () => {
    const { file, writer, seen } = setup();
    writer.setTask(0, "status", "in_progress");
    const edited = `${ORIGINAL}  - id: b\n    title: B\n    run: 'true'\n`;
    edit(file, edited);
    writer.flush();
    expect(seen).toEqual([edited]);
  });

  it("adopt keeps the person's text and comments and carries the engine's fields over", () => {
    const { file, writer } = setup();
    writer.set(["status"], "in_progress");
    writer.setTask(0, "status", "completed");
    writer.flush();
    // The person edited the text they had, from before the engine's writes.
    const edited = `# edited\n${ORIGINAL}  - id: b\n    title: B\n    run: 'true'\n`;
    writer.adopt(edited);
    writer.flush();
    const text = fs.readFileSync(file, "utf8");
    expect(text.startsWith("# edited\n")).toBe(true);
    expect(text).toContain("# the plan");
    expect(text).toMatch(/- id: a\n(.*\n)*?\s+status: completed/);
    expect(text).toContain("- id: b");
    expect(text).toMatch(/^status: in_progress$/m);
    expect(writer.knows(text)).toBe(true);
    expect(writer.knows(`${text}# another edit\n`)).toBe(false);
  });

  it("hold keeps every write back until an edit is adopted", () => {
    const { file, writer } = setup();
    const broken = "id: m\ntasks: [\n";
    edit(file, broken);
    writer.hold(broken);
    writer.setTask(0, "status", "completed");
    writer.flush();
    expect(fs.readFileSync(file, "utf8")).toBe(broken);
    writer.adopt(ORIGINAL);
    writer.setTask(0, "status", "completed");
    writer.flush();
    expect(fs.readFileSync(file, "utf8")).toContain("status: completed");
  });
});
