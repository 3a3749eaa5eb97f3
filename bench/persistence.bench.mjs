// Durability at scale: a 10,000-task milestone with event log, snapshots and milestone file all
// on, against the bare spawn loop in the same run; peak RSS; bytes written; and how soon a
// resume of a run killed half-way dispatches its first task.
// BENCH_SMOKE=1 runs a small size once, only to prove the bench still works (CI).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cli, freshProject, measure, milestoneYaml, root, smoke, writeResult } from "./lib.mjs";

const chains = smoke ? 4 : 100;
const length = smoke ? 10 : 100;
const total = chains * length;
const yaml = milestoneYaml("big", chains, length);

const bare = measure(process.execPath, [path.join(root, "bench/bare-loop.mjs"), String(total), "2"]);
const dir = freshProject("big", yaml);
const engine = measure(process.execPath, [cli, "execute", "big", "--cwd", dir, "--json"]);
const report = JSON.parse(engine.stdout);
fs.rmSync(dir, { recursive: true, force: true });

// Kill -9 half-way, then time the resume until its first task_started is in the log.
const killed = freshProject("big", yaml);
const log = path.join(killed, ".milestones/logs/execution-big.jsonl");
const run = spawn(process.execPath, [cli, "execute", "big", "--cwd", killed, "--json"], { stdio: "ignore" });
const lines = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").length : 0);
// About three lines a task: stop at half the tasks.
while (lines() < (total * 3) / 2) await new Promise((r) => setTimeout(r, 50));
run.kill("SIGKILL");
await new Promise((r) => run.on("close", r));
const before = lines();
const resumeStart = Date.now();
const resume = spawn(process.execPath, [cli, "resume", "big", "--cwd", killed, "--json"], { stdio: "ignore" });
let firstDispatchMs = null;
while (firstDispatchMs === null) {
  const text = fs.readFileSync(log, "utf8").split("\n").slice(before - 1).join("\n");
  if (/"event":"task_started"/.test(text)) firstDispatchMs = Date.now() - resumeStart;
  else await new Promise((r) => setTimeout(r, 5));
}
resume.kill("SIGKILL");
await new Promise((r) => resume.on("close", r));
fs.rmSync(killed, { recursive: true, force: true });

const bytes = report.run.bytes_written;
const result = {
  scenario: `${total} true tasks in ${chains} chains, concurrency 2, durability on`,
  engine_ms: Math.round(engine.ms),
  bare_loop_ms: Math.round(bare.ms),
  ratio: Number((engine.ms / bare.ms).toFixed(2)),
  target_ratio: 1.3,
  peak_rss_mb: engine.rssMb,
  target_peak_rss_mb: 200,
  bytes_written: { ...bytes, per_task: Math.round((bytes.log + bytes.milestone + bytes.snapshots) / total) },
  resume_first_dispatch_ms: firstDispatchMs,
  target_resume_first_dispatch_ms: 1000,
  node: process.version,
  at: new Date().toISOString(),
};
console.log(`scenario              ${result.scenario}`);
console.log(`engine / bare loop    ${result.engine_ms} ms / ${result.bare_loop_ms} ms = ${result.ratio}× (target ≤ 1.3×)`);
console.log(`peak RSS              ${result.peak_rss_mb} MB (target < 200 MB)`);
console.log(`bytes written         log ${bytes.log}, milestone file ${bytes.milestone}, snapshots ${bytes.snapshots} (${result.bytes_written.per_task} per task)`);
console.log(`resume after kill -9  first dispatch after ${firstDispatchMs} ms (target ≤ 1000 ms)`);
writeResult("persistence", result);
