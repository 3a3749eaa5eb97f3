import { describe, expect, it } from "vitest";
import { ID_MAX_LENGTH, ID_PATTERN, TASK_STATUSES, idProblem } from "../../src/milestone/id-rules.ts";
import * as schema from "../../src/milestone/schema.ts";

// id-rules.ts exists so that status and list need not load zod; it must say what schema.ts says.
describe("id-rules", () => {
  it("judges ids as the schema's safeId does, with its first message", () => {
    for (const id of ["a", "m1", "auth-v2", "A.b_c-9", "", "-x", "../x", "a b", "a/b", "é", "x".repeat(64), "x".repeat(65), "-".repeat(70)]) {
      const zod = schema.safeId.safeParse(id);
      expect(idProblem(id), id).toBe(zod.success ? null : zod.error.issues[0].message);
    }
  });

  it("lists the schema's task statuses", () => {
    expect([...TASK_STATUSES]).toEqual(schema.taskStatus.options);
  });

  it("matches the pattern and length the schema exports", () => {
    expect(ID_PATTERN.source).toBe(schema.ID_PATTERN.source);
    expect(ID_MAX_LENGTH).toBe(schema.ID_MAX_LENGTH);
  });
});
