// Crash tests: SIGKILL the executor at each named crash point and at seeded random times, resume
// until done, and check the promises of DESIGN §6 (see harness.ts for the invariants).
//
//   CRASH_ITERATIONS=200 CRASH_SEED=1234 npx vitest run test/crash   more seeded iterations
//   npm run torture -- --iterations 500                               the long run, outside vitest
//
// Needs the built CLI (npm run build). Every failure message starts with the seed and ends with a
// one-line reproduction command.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { CRASH_POINTS, GIT_CRASH_POINTS, defaultCli, failureReport, runMany, type CrashMode, type IterationResult } from "./harness.ts";

const ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 50);
const GIT_ITERATIONS = Number(process.env.CRASH_GIT_ITERATIONS ?? 6);
const FIRST_SEED = Number(process.env.CRASH_SEED ?? 20_260_000);
const SEEDS_PER_POINT = Number(process.env.CRASH_SEEDS_PER_POINT ?? 3);
// Two cores: two iterations at a time keeps each one's timing realistic.
const PARALLEL = Number(process.env.CRASH_PARALLEL ?? 2);

function report(results: IterationResult[]): string {
  const failed = results.filter((r) => !r.ok).sort((a, b) => a.seed - b.seed);
  return failed.length === 0 ? "" : `${failed.length} of ${results.length} iterations failed\n\n${failed.map(failureReport).join("\n\n")}`;
}

async function run(firstSeed: number, count: number, mode: CrashMode, git = false): Promise<IterationResult[]> {
  return runMany(firstSeed, count, { parallel: PARALLEL, mode, cli: defaultCli(), git });
}

describe("crash harness", () => {
  it("has a built CLI to drive", () => {
    expect(fs.existsSync(defaultCli()), `${defaultCli()} missing: run npm run build`).toBe(true);
  });

  describe.each(CRASH_POINTS)("SIGKILL at the named crash point %s", (point) => {
    it(
      `loses nothing, runs nothing twice after it completed, leaves no orphan (${SEEDS_PER_POINT} seeds)`,
      async () => {
        // Seeds apart per point, so the points see different milestones.
        const first = FIRST_SEED + 1000 * (CRASH_POINTS.indexOf(point) + 1);
        const results = await run(first, SEEDS_PER_POINT, point);
        expect(report(results), report(results)).toBe("");
        // The point must really have been hit: a crash point that never fires proves nothing.
        const kills = results.reduce((n, r) => n + r.kills, 0);
        expect(kills, `no run was killed at ${point} (seeds ${first}…${first + SEEDS_PER_POINT - 1})`).toBeGreaterThan(0);
      },
      SEEDS_PER_POINT * 30_000,
    );
  });

  it(
    `survives ${ITERATIONS} seeded iterations of random kills (named points and random delays, seeds ${FIRST_SEED}…)`,
    async () => {
      const results = await run(FIRST_SEED, ITERATIONS, "mixed");
      expect(results).toHaveLength(ITERATIONS);
      expect(report(results), report(results)).toBe("");
    },
    ITERATIONS * 20_000,
  );

  describe.each(GIT_CRASH_POINTS)("in a git repository, SIGKILL at the landing's crash point %s", (point) => {
    it(
      `ends with one commit per task holding exactly its file, no worktree or task branch left (${SEEDS_PER_POINT} seeds)`,
      async () => {
        const first = FIRST_SEED + 50_000 + 1000 * (GIT_CRASH_POINTS.indexOf(point) + 1);
        const results = await run(first, SEEDS_PER_POINT, point, true);
        expect(report(results), report(results)).toBe("");
        const kills = results.reduce((n, r) => n + r.kills, 0);
        expect(kills, `no run was killed at ${point} (seeds ${first}…${first + SEEDS_PER_POINT - 1})`).toBeGreaterThan(0);
      },
      SEEDS_PER_POINT * 40_000,
    );
  });

  it(
    `in a git repository, survives ${GIT_ITERATIONS} seeded iterations of random kills (seeds ${FIRST_SEED + 90_000}…)`,
    async () => {
      const results = await run(FIRST_SEED + 90_000, GIT_ITERATIONS, "mixed", true);
      expect(results).toHaveLength(GIT_ITERATIONS);
      expect(report(results), report(results)).toBe("");
    },
    GIT_ITERATIONS * 30_000,
  );
});
