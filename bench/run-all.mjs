#!/usr/bin/env node
// Runs every benchmark scenario (issue 7, a–f) and prints one table: each figure against its
// baseline measured in the same run, its target and whether it is met. Writes the table and
// every sample to bench/results/latest.json (a partial run: e.g. de.json). Not a timed test: it
// fails only if a scenario breaks.
//
//   npm run bench                         build, then every scenario (several minutes)
//   node bench/run-all.mjs a d e          only some scenarios (c comes with b)
//   BENCH_SMOKE=1 node bench/run-all.mjs  tiny sizes, one run each, nothing written (CI)
//   BENCH_RUNS=7 / MM_CLI=path/to/cli.js  more runs / another build of the CLI
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { cli, denoVersion, root, runs, smoke } from "./lib.mjs";
import { spawnLoop } from "./spawn-loop.bench.mjs";
import { persistence } from "./persistence.bench.mjs";
import { coldStart } from "./cold-start.bench.mjs";
import { concurrency } from "./concurrency.bench.mjs";

const SCENARIOS = [
  { keys: ["a"], run: spawnLoop },
  { keys: ["b", "c"], run: persistence },
  { keys: ["d", "e"], run: coldStart },
  { keys: ["f"], run: concurrency },
];

const wanted = process.argv.slice(2);
const rows = [];
const details = {};
const startedAt = Date.now();
for (const scenario of SCENARIOS) {
  if (wanted.length && !scenario.keys.some((k) => wanted.includes(k))) continue;
  // b leaves some 40 MB of files behind it: their writeback must not land on the next scenario.
  spawnSync("sync");
  const t = Date.now();
  process.stderr.write(`scenario ${scenario.keys.join("+")}…\n`);
  const result = await scenario.run();
  rows.push(...result.rows);
  Object.assign(details, result.details);
  process.stderr.write(`  done in ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
}

const table = markdownTable(rows);
console.log(`\n${smoke ? "SMOKE RUN (tiny sizes, one run each; the figures mean nothing)\n\n" : ""}${table}`);
const environment = {
  node: process.version,
  deno: denoVersion(),
  cpus: os.cpus().length,
  loadavg_at_start: os.loadavg().map((l) => Number(l.toFixed(2))),
  runs,
  cli: path.relative(root, cli),
  took_s: Math.round((Date.now() - startedAt) / 1000),
  at: new Date().toISOString(),
};
if (!smoke) {
  fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
  // Only a run of every scenario is "latest"; a partial run is kept beside it, e.g. de.json.
  const ran = SCENARIOS.filter((s) => !wanted.length || s.keys.some((k) => wanted.includes(k))).flatMap((s) => s.keys);
  const name = ran.length === SCENARIOS.flatMap((s) => s.keys).length ? "latest" : ran.join("");
  const file = path.join(root, `bench/results/${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ environment, rows, table, details }, null, 2)}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

function markdownTable(list) {
  const cell = (r) => [
    r.key,
    r.measure,
    typeof r.value === "number" ? `${r.value.toLocaleString("en")} ${r.unit}` : r.value,
    r.baseline === null ? "" : `${r.baseline.toLocaleString("en")} ms`,
    r.ratio === null ? "" : `${r.ratio.toFixed(2)}×${r.spread ? ` (${r.spread[0].toFixed(2)}–${r.spread[1].toFixed(2)})` : ""}`,
    r.target ?? "",
    r.pass === null || smoke ? "" : r.pass ? "✓" : "✗",
  ];
  const lines = [["", "measure", "engine", "baseline", "ratio (round range)", "target", "met"], ...list.map(cell)];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  const line = (l) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(lines[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.slice(1).map(line)].join("\n");
}
