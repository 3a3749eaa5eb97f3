// The disk probe: blocks the milestone before a full disk does it less politely (a task dying
// half-way through a write, a torn event log). Measures with fs.statfs, like `df`.
import fs from "node:fs";
import { isGranted } from "../deno-permissions.ts";
import type { Blocker, ProbeResult } from "./blocker.ts";

/** Free space of the filesystem holding a directory, as `df` shows it. */
export interface DiskUsage {
  totalMb: number;
  /** Available to an unprivileged process (blocks reserved for root do not count). */
  freeMb: number;
  /** 100 minus df's Use%: free / (used + free), so the root reserve counts neither way. */
  freePercent: number;
}

export interface DiskThresholds {
  /** Block below this many MB free. */
  minFreeMb?: number;
  /** Block below this percentage free; 10 when neither threshold is given. */
  minFreePercent?: number;
}

export interface DiskProbeResult extends ProbeResult {
  /** null when the probe is unavailable. */
  usage: DiskUsage | null;
}

export const DEFAULT_MIN_FREE_PERCENT = 10;
const MB = 1024 * 1024;

/** Measure the filesystem holding `dir`; throws what statfs throws. */
export async function measureDisk(dir: string): Promise<DiskUsage> {
  const s = await fs.promises.statfs(dir);
  const used = (s.blocks - s.bfree) * s.bsize;
  const free = s.bavail * s.bsize;
  return {
    totalMb: (s.blocks * s.bsize) / MB,
    freeMb: free / MB,
    freePercent: used + free === 0 ? 100 : (free / (used + free)) * 100,
  };
}

/** The disk_low blocker for a measurement, or null if it is above every threshold. Pure. */
export function diskBlocker(usage: DiskUsage, dir: string, thresholds: DiskThresholds = {}): Blocker | null {
  const { minFreeMb } = thresholds;
  const minFreePercent = thresholds.minFreePercent ?? (minFreeMb === undefined ? DEFAULT_MIN_FREE_PERCENT : undefined);
  const belowMb = minFreeMb !== undefined && usage.freeMb < minFreeMb;
  const belowPercent = minFreePercent !== undefined && usage.freePercent < minFreePercent;
  if (!belowMb && !belowPercent) return null;
  const minimum = belowMb ? `${minFreeMb} MB` : `${minFreePercent} %`;
  return {
    type: "disk_low",
    detail: `${Math.floor(usage.freeMb)} MB (${usage.freePercent.toFixed(1)} %) free on the filesystem of ${dir}; the minimum is ${minimum}`,
    fix: `free disk space on the filesystem of ${dir} (build output, caches, old logs), or lower checks.min_free_${belowMb ? "mb" : "percent"}, then resume`,
  };
}

/** Measure the project's filesystem and report disk_low below the thresholds; never throws. */
export async function probeDisk(projectDir: string, thresholds: DiskThresholds = {}): Promise<DiskProbeResult> {
  const denied = denoDenies();
  if (denied) return { blockers: [], usage: null, unavailable: denied };
  let usage: DiskUsage;
  try {
    usage = await measureDisk(projectDir);
  } catch (error) {
    return { blockers: [], usage: null, unavailable: `disk probe unavailable: statfs ${projectDir}: ${(error as Error).message}` };
  }
  const blocker = diskBlocker(usage, projectDir, thresholds);
  return { blockers: blocker ? [blocker] : [], usage };
}

// Deno gates statfs behind --allow-sys=statfs and, in a terminal, would stop the whole run with
// an interactive prompt to ask for it; ask first, without prompting. Node has no such gate.
function denoDenies(): string | null {
  if (isGranted({ name: "sys", kind: "statfs" })) return null;
  return "disk probe unavailable: Deno needs --allow-sys=statfs to measure free space";
}
