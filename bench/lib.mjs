// Shared pieces of the benchmarks: generated milestones and Makefiles, timed runs with peak RSS,
// alternating baseline/engine runs and their medians. Every figure a scenario reports is a ratio
// against a baseline measured in the same run, because this machine's absolute times are noisy.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The CLI under test; MM_CLI points at another build (e.g. one from before a change). */
export const cli = path.resolve(process.env.MM_CLI ?? path.join(root, "dist/bin/cli.js"));
export const denoBin = path.join(root, "node_modules/.bin/deno");
export const bareLoop = path.join(root, "bench/bare-loop.mjs");
export const smoke = process.env.BENCH_SMOKE === "1";
/** Runs per variant: at least 5 (the median of fewer says little), 1 in smoke mode. */
export const runs = smoke ? 1 : Math.max(5, Number(process.env.BENCH_RUNS ?? 5));

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const ratio = (a, b) => Number((a / b).toFixed(2));

/** `chains` chains of `length` `true` tasks, each waiting for the one before it. */
export function chainsYaml(id, chains, length, run = "true") {
  const lines = [`id: ${id}`, "title: Generated benchmark", "tasks:"];
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < length; i++) {
      lines.push(`  - id: c${c}-t${i}`, `    title: chain ${c} step ${i}`, `    run: "${run}"`);
      if (i > 0) lines.push(`    dependencies: [c${c}-t${i - 1}]`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Chains plus fan-out and fan-in: chain 0's first task is the root every other chain starts
 * after, and chain 0's last task waits for every chain's last task. chains × length tasks.
 */
export function fanYaml(id, chains, length) {
  const lines = [`id: ${id}`, "title: Generated benchmark with fan-out and fan-in", "tasks:"];
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < length; i++) {
      lines.push(`  - id: c${c}-t${i}`, `    title: chain ${c} step ${i}`, '    run: "true"');
      const deps = i > 0 ? [`c${c}-t${i - 1}`] : c > 0 ? ["c0-t0"] : [];
      if (c === 0 && i === length - 1) for (let o = 1; o < chains; o++) deps.push(`c${o}-t${length - 1}`);
      if (deps.length) lines.push(`    dependencies: [${deps.join(", ")}]`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The Makefile equivalent of chainsYaml: one phony target per task running `sh -c true`. */
export function chainsMakefile(chains, length) {
  const targets = [];
  const lines = [];
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < length; i++) {
      targets.push(`c${c}-t${i}`);
      lines.push(`c${c}-t${i}:${i > 0 ? ` c${c}-t${i - 1}` : ""}`, "\t@sh -c true");
    }
  }
  return [".PHONY: all " + targets.join(" "), `all: ${targets.join(" ")}`, ...lines, ""].join("\n");
}

/** A temporary project holding `.milestones/active/<id>.yaml`. */
export function freshProject(id, yaml) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-bench-"));
  fs.mkdirSync(path.join(dir, ".milestones/active"), { recursive: true });
  fs.writeFileSync(path.join(dir, `.milestones/active/${id}.yaml`), yaml);
  return dir;
}

// Projects are deleted when the bench exits, not after each run. ext4 without a journal (this
// VM's) skips inodes deleted in the last 60 s (6 minutes while their inode table block is dirty)
// when it allocates new ones, reading inode tables to find them (`recently_deleted`): right after
// a run's thousands of log files are deleted, creating a file costs up to 0.5 ms of kernel time
// instead of 30 us. That would charge the next engine run, which creates a log file per task, for
// the bench's own cleanup; the bare loop creates none.
const retired = [];
process.on("exit", () => {
  for (const dir of retired) fs.rmSync(dir, { recursive: true, force: true });
});

/** Delete `dir` once the bench is done (see above). */
export const retireProject = (dir) => void retired.push(dir);

const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

/**
 * Runs a command to completion: wall ms and stdout; with `usage`, also (from GNU time, null
 * without it) the CPU ms it and its waited-for children used, and the peak RSS in MB of the
 * largest of them (ru_maxrss). CPU time is much less at the mercy of the machine's load.
 */
export function measure(cmd, args, { usage = false, ok = [0], ...options } = {}) {
  const [file, argv] = usage && timeBin ? [timeBin, ["-f", "USAGE %U %S %M", cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(file, argv, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!ok.includes(r.status)) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  const used = /USAGE ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  return {
    ms,
    cpuMs: used ? Math.round((Number(used[1]) + Number(used[2])) * 1000) : null,
    rssMb: used ? Math.round(Number(used[3]) / 1024) : null,
    stdout: r.stdout,
  };
}

/**
 * Runs every variant `runs` times, interleaved and in a rotating order so that drift in the
 * machine's load spreads over all of them. A variant returns its wall ms (or { ms, cpuMs? }).
 * Returns each variant's median ms and its samples (and CPU ms, when measured).
 */
export async function alternate(variants, n = runs) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  const cpu = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      const r = await variants[name]();
      samples[name].push(typeof r === "number" ? r : r.ms);
      if (typeof r?.cpuMs === "number") cpu[name].push(r.cpuMs);
    }
  }
  const summary = (k) => ({
    median: median(samples[k]),
    samples: samples[k].map(Math.round),
    ...(cpu[k].length ? { cpu_median: median(cpu[k]), cpu_samples: cpu[k] } : {}),
  });
  return Object.fromEntries(names.map((k) => [k, summary(k)]));
}

/** Starts a command in the background (for kill -9 scenarios). */
export function start(cmd, args) {
  return spawn(cmd, args, { stdio: "ignore" });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The arguments of `execute` after the CLI's entry file; --json prints the run's report. */
export function executeArgs(id, dir, concurrency, json = true) {
  return ["execute", id, "--cwd", dir, "--concurrency", String(concurrency), ...(json ? ["--json"] : [])];
}

/** How to start the CLI under each runtime: Node runs the build, Deno the sources. */
export const nodeCli = [process.execPath, cli];
/** The CLI on Node, run to completion (see measure) or started in the background. */
export const measureCli = (args, options) => measure(process.execPath, [cli, ...args], options);
export const startCli = (args) => start(process.execPath, [cli, ...args]);
export const denoRun = [denoBin, "run", "--no-prompt", "-A"];
export const denoCli = [...denoRun, path.join(root, "src/cli.ts")];

export function denoVersion() {
  const r = spawnSync(denoBin, ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0] : null;
}

/**
 * A table row: the engine's figure (`of`, one of alternate()'s results) against its baseline
 * (`against`); passes when the ratio of their medians is ≤ `max`. `spread` is the lowest and
 * highest ratio of one round's pair (both ran in the same round, one after the other), which
 * shows how far this VM's drift moves the figure within the run.
 */
export function ratioRow(key, measure, of, against, max) {
  // From the whole milliseconds the row shows, as the samples are kept, so that one run's ratio
  // and its round range agree.
  const value = Math.round(of.median);
  const baseline = Math.round(against.median);
  const r = ratio(value, baseline);
  const rounds = of.samples.map((ms, i) => ms / against.samples[i]);
  const spread = [ratio(Math.min(...rounds), 1), ratio(Math.max(...rounds), 1)];
  return {
    key,
    measure,
    value,
    unit: "ms",
    baseline,
    ratio: r,
    spread,
    target: max === null ? null : `≤ ${max.toFixed(2)}×`,
    pass: max === null ? null : r <= max,
  };
}

/** A table row with an absolute limit (`baseline`, if given, is shown for context). */
export function limitRow(key, measure, value, unit, max, baseline = null) {
  return {
    key,
    measure,
    value: Math.round(value),
    unit,
    baseline: baseline === null ? null : Math.round(baseline),
    ratio: baseline === null ? null : ratio(value, baseline),
    target: max === null ? null : `≤ ${max} ${unit}`,
    pass: max === null ? null : value <= max,
  };
}
