import { describe, expect, it } from "vitest";
import { isValidConfig, isValidMilestone } from "../../src/milestone/quick-check.ts";
import { configSchema, milestoneSchema } from "../../src/milestone/schema.ts";

// quick-check.ts lets valid files skip zod; a yes where schema.ts says no would let a bad file
// through unreported. Both judge every variant of a full file with one value changed.
const VALUES: unknown[] = [
  undefined, null, "", "x", "a b", "../x", "x".repeat(64), "x".repeat(65), "30m", "250ms", "1.5h", "90 s", "soon",
  0, -1, 0.5, 1, 5, 100, 101, 1024, 1025, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY, true, false,
  [], [""], ["a"], ["a", "b"], ["../x"], [1], {}, { a: "b" }, { a: 1, b: true }, { a: null }, { a: [] },
  "planned", "planning", "active", "in_progress", "pending", "skipped", "block", "continue", "task", "interval",
  { name: "n", email: "e" }, { requires: ["a"] }, { requires: "a" }, { command: ["x"] }, { command: [] },
];

const MILESTONE = {
  id: "m1",
  title: "T",
  description: "d",
  status: "planned",
  on_failure: "block",
  dependencies: { requires: ["m0"] },
  defaults: { timeout: "30m", retries: 1, cwd: "sub", env: { A: "1", B: 2, C: true } },
  checks: { test: "npm test", test_on: "task", test_interval: 60, warn_after: "1h", min_free_mb: 10, min_free_percent: 5, interval: "2m" },
  tasks: [
    { id: "a", title: "A", run: "true", timeout: 1.5, retries: 0, env: { X: "y" }, paths: ["src/**"], status: "completed", commit: "abc" },
    {
      id: "b", title: "B", agent: "do it", description: "d", dependencies: ["a"], depends_on: ["a"], verify: "v", cwd: "c",
      acceptance_criteria: ["ok"], on_failure: "continue", started_at: "t", completed_at: "t", extra: { any: 1 },
    },
  ],
  extra: 1,
};

const CONFIG = {
  concurrency: 4,
  timeout: "1h",
  retries: 2,
  on_failure: "fail",
  agent: { command: ["claude", "-p"] },
  checks: { test: "npm test", test_on: "interval", test_interval: "5m" },
  git: { enabled: true, branch_prefix: "m/", push: false, remote: "origin", author: { name: "n", email: "e" }, checkpoint_interval: "10m", checkpoint_files: 0 },
  notify: { command: ["notify-send"] },
};

/** Every path to a value in `data` (object keys, list indices, and a new key in each mapping). */
function paths(data: unknown, prefix: PropertyKey[] = []): PropertyKey[][] {
  if (Array.isArray(data)) return [prefix, ...data.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (typeof data === "object" && data !== null) {
    return [prefix, [...prefix, "new_key"], ...Object.entries(data).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  return [prefix];
}

function withValue(data: unknown, path: PropertyKey[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(data) as Record<PropertyKey, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

function judgeAlike(base: unknown, quick: (d: unknown) => boolean, schema: { safeParse: (d: unknown) => { success: boolean } }) {
  let variants = 0;
  for (const path of paths(base)) {
    for (const value of VALUES) {
      const data = withValue(base, path, value);
      expect(quick(data), `${path.map(String).join(".")} = ${JSON.stringify(value)}`).toBe(schema.safeParse(data).success);
      variants++;
    }
  }
  return variants;
}

describe("quick-check", () => {
  it("judges a milestone as schema.ts's milestoneSchema does", () => {
    expect(isValidMilestone(MILESTONE)).toBe(true);
    expect(judgeAlike(MILESTONE, isValidMilestone, milestoneSchema)).toBeGreaterThan(3000);
  });

  it("judges a config as schema.ts's configSchema does", () => {
    expect(isValidConfig(CONFIG)).toBe(true);
    expect(isValidConfig({})).toBe(true);
    expect(judgeAlike(CONFIG, isValidConfig, configSchema)).toBeGreaterThan(1000);
  });

  it("accepts the smallest milestone and refuses what is not a mapping", () => {
    for (const data of [{ id: "m", tasks: [] }, { id: "m", tasks: [{ id: "t", title: "T" }] }, null, [], "m", 1]) {
      expect(isValidMilestone(data), JSON.stringify(data)).toBe(milestoneSchema.safeParse(data).success);
    }
  });
});
