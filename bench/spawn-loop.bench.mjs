// Engine against the bare spawn loop on the same generated graph (issue: core engine speed).
// A 1,000-task milestone of `run: "true"` tasks in 10 chains of 100 runs at concurrency 2; in the
// same run, alternating with it, the bare loop spawns the same 1,000 commands with the same cap.
// Prints the median of each and the ratio, and writes bench/results/spawn-loop.json.
// BENCH_SMOKE=1 runs a tiny size once, only to prove the bench still works (CI).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const smoke = process.env.BENCH_SMOKE === "1";
const chains = smoke ? 2 : 10;
const perChain = smoke ? 5 : 100;
const runs = smoke ? 1 : Number(process.env.BENCH_RUNS ?? 5);
const concurrency = 2;
const total = chains * perChain;

function milestoneYaml() {
  const lines = ["id: bench", "title: Generated benchmark", "tasks:"];
  for (let c = 0; c < chains; c++) {
    for (let i = 0; i < perChain; i++) {
      lines.push(`  - id: c${c}-t${i}`, `    title: chain ${c} step ${i}`, `    run: "true"`);
      if (i > 0) lines.push(`    dependencies: [c${c}-t${i - 1}]`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function freshProject(yaml) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-bench-"));
  fs.mkdirSync(path.join(dir, ".milestones/active"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".milestones/active/bench.yaml"), yaml);
  return dir;
}

function time(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const yaml = milestoneYaml();
const engine = [];
const bare = [];
let bytes = null;
for (let i = 0; i < runs; i++) {
  bare.push(time(process.execPath, [path.join(root, "bench/bare-loop.mjs"), String(total), String(concurrency)]));
  const dir = freshProject(yaml);
  engine.push(time(process.execPath, [path.join(root, "dist/src/cli.js"), "execute", "bench", "--cwd", dir, "--concurrency", String(concurrency), "--json"]));
  const size = (f) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  bytes = {
    event_log: size(path.join(dir, ".milestones/logs/execution-bench.jsonl")),
    milestone_file: size(path.join(dir, ".milestones/completed/bench.yaml")),
  };
  fs.rmSync(dir, { recursive: true, force: true });
}
const result = {
  scenario: `${total} true tasks in ${chains} chains, concurrency ${concurrency}`,
  runs,
  engine_ms: Math.round(median(engine)),
  bare_loop_ms: Math.round(median(bare)),
  ratio: Number((median(engine) / median(bare)).toFixed(2)),
  target_ratio: 1.5,
  bytes_per_task: bytes && Math.round((bytes.event_log + bytes.milestone_file) / total),
  node: process.version,
  at: new Date().toISOString(),
};
console.log(`scenario       ${result.scenario} (median of ${runs})`);
console.log(`engine         ${result.engine_ms} ms`);
console.log(`bare loop      ${result.bare_loop_ms} ms`);
console.log(`ratio          ${result.ratio}× (target ≤ ${result.target_ratio}×)`);
console.log(`bytes/task     ${result.bytes_per_task} (event log + milestone file)`);
if (!smoke) fs.writeFileSync(path.join(root, "bench/results/spawn-loop.json"), `${JSON.stringify(result, null, 2)}\n`);
