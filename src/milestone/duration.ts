// Durations as the files write them: a number of seconds, or `250ms`, `90s`, `30m`, `1h`.

/** `90s`, `30m`, `1h`, `250ms`: a duration written as text (schema.ts's `duration`). */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration the schema accepted. */
export function durationMs(value: number | string): number {
  const ms = typeof value === "number" ? Math.round(value * 1_000) : parseDuration(value);
  if (ms === null) throw new Error(`not a duration: '${value}'`);
  return ms;
}

/** Milliseconds of a duration written as text (`90s`, `30m`), or null if it is not one. */
export function parseDuration(text: string): number | null {
  const match = DURATION_PATTERN.exec(text.trim());
  return match ? Math.round(Number(match[1]) * UNIT_MS[match[2]]) : null;
}
