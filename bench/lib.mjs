// Shared pieces of the benchmarks: generated milestones, timing, medians, peak RSS.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const cli = path.join(root, "dist/src/cli.js");
export const smoke = process.env.BENCH_SMOKE === "1";
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `chains` chains of `length` `true` tasks; with fan, each chain also fans out and back in. */
export function milestoneYaml(id, chains, length) {
  const lines = [`id: ${id}`, "title: Generated benchmark", "tasks:"];
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < length; i++) {
      lines.push(`  - id: c${c}-t${i}`, "    title: step", '    run: "true"');
      if (i > 0) lines.push(`    dependencies: [c${c}-t${i - 1}]`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function freshProject(id, yaml) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-bench-"));
  fs.mkdirSync(path.join(dir, ".milestones/active"), { recursive: true });
  fs.writeFileSync(path.join(dir, `.milestones/active/${id}.yaml`), yaml);
  return dir;
}

const hasTime = fs.existsSync("/usr/bin/time");

/** Runs a command to completion: wall ms, peak RSS in MB (when /usr/bin/time exists), stdout. */
export function measure(cmd, args, options = {}) {
  const [file, argv] = hasTime ? ["/usr/bin/time", ["-f", "MAXRSS %M", cmd, ...args]] : [cmd, args];
  const start = process.hrtime.bigint();
  const r = spawnSync(file, argv, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rss = /MAXRSS (\d+)/.exec(r.stderr ?? "");
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  return { ms, rssMb: rss ? Math.round(Number(rss[1]) / 1024) : null, stdout: r.stdout };
}

export function writeResult(name, result) {
  if (smoke) return;
  fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
  fs.writeFileSync(path.join(root, `bench/results/${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
