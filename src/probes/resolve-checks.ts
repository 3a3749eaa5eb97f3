// The blocker probes' settings for one run: config.yaml's `checks`, overridden key by key by the
// milestone's own `checks`, with every default filled in and every duration in milliseconds.
// Plain JSON with no undefined values, so it can sit in machine context and survive a snapshot.
import { durationMs } from "../milestone/duration.ts";
import type { ChecksConfig } from "../milestone/schema.ts";
import { DEFAULT_MIN_FREE_PERCENT } from "./disk.ts";

export interface ResolvedChecks {
  /** Shell command whose failure blocks; absent means no test probe. */
  test?: string;
  testOn: "task" | "interval";
  testIntervalMs: number;
  warnAfterMs: number;
  /** At least one of the two disk thresholds is set. */
  minFreeMb?: number;
  minFreePercent?: number;
  /** How often the disk and git-conflict probes run. */
  intervalMs: number;
}

export const CHECK_DEFAULTS = {
  testOn: "task",
  testIntervalMs: 10 * 60_000,
  warnAfterMs: 60 * 60_000,
  intervalMs: 120_000,
} as const;

export function resolveChecks(config: { checks?: ChecksConfig }, milestone: { checks?: ChecksConfig }): ResolvedChecks {
  const c: ChecksConfig = { ...config.checks, ...definedOnly(milestone.checks ?? {}) };
  const resolved: ResolvedChecks = {
    testOn: c.test_on ?? CHECK_DEFAULTS.testOn,
    testIntervalMs: c.test_interval === undefined ? CHECK_DEFAULTS.testIntervalMs : durationMs(c.test_interval),
    warnAfterMs: c.warn_after === undefined ? CHECK_DEFAULTS.warnAfterMs : durationMs(c.warn_after),
    intervalMs: c.interval === undefined ? CHECK_DEFAULTS.intervalMs : durationMs(c.interval),
  };
  if (c.test !== undefined) resolved.test = c.test;
  if (c.min_free_mb !== undefined) resolved.minFreeMb = c.min_free_mb;
  // A project that names a number of MB means that number, not that and 10 % as well.
  const percent = c.min_free_percent ?? (c.min_free_mb === undefined ? DEFAULT_MIN_FREE_PERCENT : undefined);
  if (percent !== undefined) resolved.minFreePercent = percent;
  return resolved;
}

// A key present but undefined (an object built in code rather than parsed) means "not set here",
// so it must not hide the config's value.
function definedOnly(checks: ChecksConfig): ChecksConfig {
  return Object.fromEntries(Object.entries(checks).filter(([, v]) => v !== undefined));
}
