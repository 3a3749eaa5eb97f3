// The probes' settings: config.yaml's checks overridden by the milestone's, with defaults.
import { describe, expect, it } from "vitest";
import { resolveChecks } from "../../src/probes/resolve-checks.ts";

describe("resolveChecks", () => {
  it("fills every default when neither file has checks", () => {
    expect(resolveChecks({}, {})).toEqual({
      testOn: "task",
      testIntervalMs: 600_000,
      warnAfterMs: 3_600_000,
      minFreePercent: 10,
      intervalMs: 120_000,
    });
  });

  it("lets the milestone override the config key by key, durations in milliseconds", () => {
    const config = { checks: { test: "npm test", test_interval: "5m", warn_after: "2h", interval: 30 } };
    const milestone = { checks: { test_on: "interval" as const, warn_after: "90s", min_free_percent: 3 } };
    expect(resolveChecks(config, milestone)).toEqual({
      test: "npm test",
      testOn: "interval",
      testIntervalMs: 300_000,
      warnAfterMs: 90_000,
      minFreePercent: 3,
      intervalMs: 30_000,
    });
  });

  it("drops the 10 % default when a number of MB is set, and keeps both when both are", () => {
    expect(resolveChecks({ checks: { min_free_mb: 500 } }, {})).toMatchObject({ minFreeMb: 500 });
    expect(resolveChecks({ checks: { min_free_mb: 500 } }, {})).not.toHaveProperty("minFreePercent");
    expect(resolveChecks({ checks: { min_free_mb: 500 } }, { checks: { min_free_percent: 5 } })).toMatchObject({ minFreeMb: 500, minFreePercent: 5 });
  });

  it("does not let a key the milestone leaves undefined hide the config's value", () => {
    expect(resolveChecks({ checks: { test: "make check" } }, { checks: { test: undefined } }).test).toBe("make check");
  });

  it("survives a JSON round trip unchanged (it lives in machine context)", () => {
    const resolved = resolveChecks({ checks: { test: "npm test", min_free_mb: 100 } }, {});
    expect(JSON.parse(JSON.stringify(resolved))).toStrictEqual(resolved);
  });
});
