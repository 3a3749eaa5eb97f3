// The quick envelope check must judge exactly as envelope.ts's zod schema does: a snapshot it
// passes is restored without the schema ever looking at it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.ts";
import { loadNewestEnvelope } from "../../src/persist/snapshot-store.ts";
import { layout } from "../../src/store/layout.ts";
import { envelopeSchema } from "../../src/persist/envelope.ts";
import { isEnvelope } from "../../src/persist/quick-envelope.ts";

const VALID = {
  schema: 1,
  machine: "milestone",
  version: 2,
  milestone_id: "m",
  session_id: "20261124T000000-abcdef",
  seq: 41,
  saved_at: "2026-11-24T00:00:00.000Z",
  save_reason: "checkpoint",
  snapshot: { status: "active", value: { in_progress: {} }, context: { milestoneId: "m" }, children: { executor: {} }, historyValue: {} },
};

// Values of every kind, put in place of each field and each snapshot field in turn.
const ODD: unknown[] = [undefined, null, 0, -1, 1.5, 2, 2 ** 60, "", "x", "1", true, [], [1], {}, { a: 1 }, NaN];

function variants(): unknown[] {
  const out: unknown[] = [VALID, null, [], "envelope", { ...VALID, extra: 1 }];
  for (const key of Object.keys(VALID)) for (const v of ODD) out.push({ ...VALID, [key]: v });
  for (const key of ["status", "value", "context", "children", "extra"]) for (const v of ODD) out.push({ ...VALID, snapshot: { ...VALID.snapshot, [key]: v } });
  return out;
}

describe("isEnvelope", () => {
  it("agrees with the zod schema on every variant", () => {
    const all = variants();
    let accepted = 0;
    for (const v of all) {
      const zod = envelopeSchema.safeParse(v).success;
      expect(isEnvelope(v), JSON.stringify(v)).toBe(zod);
      if (zod) accepted++;
    }
    // Both sides of the judgement are exercised.
    expect(accepted).toBeGreaterThan(10);
    expect(all.length - accepted).toBeGreaterThan(100);
  });
});

describe("loadNewestEnvelope", () => {
  it("refuses a snapshot the checks refuse, with the schema's reason and the way out", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "mm-envelope-"));
    const l = layout(project);
    fs.mkdirSync(l.sessionsDir, { recursive: true });
    fs.writeFileSync(path.join(l.sessionsDir, "s1.json"), JSON.stringify({ ...VALID, seq: -3 }));
    const refused = loadNewestEnvelope(l, "m");
    await expect(refused).rejects.toThrow(/s1\.json: not a snapshot this version can restore \(seq: /);
    await expect(refused).rejects.toMatchObject({ exitCode: EXIT.badInput, hint: "move the file away to resume from the event log alone" });
    fs.writeFileSync(path.join(l.sessionsDir, "s1.json"), JSON.stringify(VALID));
    expect(await loadNewestEnvelope(l, "m")).toEqual(VALID);
    fs.rmSync(project, { recursive: true, force: true });
  });
});
