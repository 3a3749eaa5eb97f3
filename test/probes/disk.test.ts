// The disk probe on the real filesystem of a temp dir, with thresholds on either side of what
// is really free, and its refusal to crash where statfs cannot run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diskBlocker, measureDisk, probeDisk } from "../../src/probes/disk.ts";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-disk-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("measureDisk", () => {
  it("agrees with df about the free space", async () => {
    const usage = await measureDisk(dir);
    const df = spawnSync("df", ["-P", "-k", dir], { encoding: "utf8" });
    expect(df.status).toBe(0);
    const [, , , availableKb, usePercent] = df.stdout.trim().split("\n").pop()!.split(/\s+/);
    // Other processes write meanwhile: agree within 1 % of the disk, or 64 MB.
    expect(Math.abs(usage.freeMb - Number(availableKb) / 1024)).toBeLessThan(Math.max(64, usage.totalMb / 100));
    // df rounds Use% up.
    expect(Math.abs(100 - usage.freePercent - Number(usePercent.replace("%", "")))).toBeLessThanOrEqual(1.5);
  });
});

describe("probeDisk", () => {
  it("reports disk_low when the threshold in MB is above what is free", async () => {
    const { freeMb } = await measureDisk(dir);
    const result = await probeDisk(dir, { minFreeMb: Math.ceil(freeMb) * 2 + 1024 });
    expect(result.unavailable).toBeUndefined();
    expect(result.blockers).toHaveLength(1);
    const [blocker] = result.blockers;
    expect(blocker.type).toBe("disk_low");
    expect(blocker.detail).toMatch(new RegExp(`^\\d+ MB \\(\\d+\\.\\d %\\) free on the filesystem of ${dir}; the minimum is \\d+ MB$`));
    expect(blocker.fix).toContain("min_free_mb");
    expect(blocker.task).toBeUndefined();
  });

  it("reports nothing when the threshold in MB is below what is free", async () => {
    const result = await probeDisk(dir, { minFreeMb: 1 });
    expect(result.blockers).toEqual([]);
    expect(result.usage!.freeMb).toBeGreaterThan(1);
  });

  it("reports disk_low when the percentage asked for is above what is free, and not when below", async () => {
    const { freePercent } = await measureDisk(dir);
    const above = await probeDisk(dir, { minFreePercent: Math.min(100, freePercent + 0.5) });
    expect(above.blockers.map((b) => b.type)).toEqual(["disk_low"]);
    expect(above.blockers[0].fix).toContain("min_free_percent");
    const below = await probeDisk(dir, { minFreePercent: Math.max(0.0001, freePercent / 2) });
    expect(below.blockers).toEqual([]);
  });

  it("says it is unavailable instead of throwing when statfs fails", async () => {
    const result = await probeDisk(path.join(dir, "no-such-dir"));
    expect(result.blockers).toEqual([]);
    expect(result.usage).toBeNull();
    expect(result.unavailable).toMatch(/^disk probe unavailable: statfs .*no-such-dir: .*ENOENT/);
  });
});

describe("diskBlocker", () => {
  const usage = (freeMb: number, freePercent: number) => ({ totalMb: 100_000, freeMb, freePercent });

  it("blocks below 10 % free when no threshold is configured", () => {
    expect(diskBlocker(usage(9_000, 9), "/p")?.detail).toBe("9000 MB (9.0 %) free on the filesystem of /p; the minimum is 10 %");
    expect(diskBlocker(usage(11_000, 11), "/p")).toBeNull();
  });

  it("drops the 10 % default when only a number of MB is configured", () => {
    expect(diskBlocker(usage(600, 0.6), "/p", { minFreeMb: 500 })).toBeNull();
    expect(diskBlocker(usage(400, 0.4), "/p", { minFreeMb: 500 })?.detail).toContain("the minimum is 500 MB");
  });

  it("blocks when either of two configured thresholds is crossed", () => {
    expect(diskBlocker(usage(600, 3), "/p", { minFreeMb: 500, minFreePercent: 5 })?.detail).toContain("the minimum is 5 %");
    expect(diskBlocker(usage(600, 30), "/p", { minFreeMb: 500, minFreePercent: 5 })).toBeNull();
  });
});
