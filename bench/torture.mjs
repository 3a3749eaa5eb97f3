#!/usr/bin/env node
// Crash torture: many seeded iterations of the crash-test harness (test/crash/harness.ts).
//
//   npm run torture -- --iterations 500 [--seed N] [--mode mixed|random|<crash point>] [--parallel 2]
//
// Node 20 cannot run TypeScript, so the harness is bundled with rolldown into
// node_modules/.cache/ first. Prints one line per iteration; on failure, the seed, what broke,
// where the project was left and a one-line reproduction command. Exit 1 if any iteration failed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    iterations: { type: "string", default: "500" },
    seed: { type: "string" },
    mode: { type: "string", default: "mixed" },
    parallel: { type: "string", default: "2" },
    cli: { type: "string" },
    git: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("usage: npm run torture -- [--iterations N] [--seed FIRST] [--mode mixed|random|<crash point>] [--parallel P] [--cli path/to/cli.js] [--git]");
  console.log("  --git: the project is a git repository (tasks in worktrees, one commit each; the landing's crash points join the mix)");
  process.exit(0);
}
const iterations = Number(values.iterations);
const parallel = Number(values.parallel);
const firstSeed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(iterations) || iterations < 1 || !Number.isInteger(parallel) || parallel < 1 || !Number.isInteger(firstSeed)) {
  console.error("--iterations, --parallel and --seed take whole numbers");
  process.exit(2);
}

// --cli (or MM_CLI) drives another build, e.g. of a clean checkout while src/ is being edited.
const cli = path.resolve(values.cli ?? process.env.MM_CLI ?? path.join(repo, "dist/bin/cli.js"));
if (!fs.existsSync(cli)) {
  console.error(`${cli} is missing: run 'npm run build' first`);
  process.exit(2);
}

// Bundle the harness into one module (rolldown reads its TypeScript and the engine types it
// imports; yaml, its one package, resolves from node_modules).
const out = path.join(repo, "node_modules/.cache/mm-torture");
const bundle = spawnSync(
  process.execPath,
  [
    path.join(repo, "node_modules/rolldown/bin/cli.mjs"), path.join(repo, "test/crash/harness.ts"),
    "--platform", "node", "--format", "esm", "--external", "yaml", "--file", path.join(out, "harness.js"), "--logLevel", "warn",
  ],
  { encoding: "utf8" },
);
if (bundle.status !== 0) {
  console.error(`bundling test/crash/harness.ts failed:\n${bundle.stdout}${bundle.stderr}`);
  process.exit(2);
}
fs.writeFileSync(path.join(out, "package.json"), '{ "type": "module" }\n');
const harness = await import(pathToFileURL(path.join(out, "harness.js")).href);

const modes = new Set(["mixed", "random", ...harness.CRASH_POINTS, ...(values.git ? harness.GIT_CRASH_POINTS : [])]);
if (!modes.has(values.mode)) {
  console.error(`--mode must be one of: ${[...modes].join(", ")}`);
  process.exit(2);
}

console.log(`crash torture: ${iterations} iterations from seed ${firstSeed}, mode ${values.mode}, ${parallel} at a time${values.git ? ", in git repositories" : ""}`);
const t0 = Date.now();
const failures = [];
let kills = 0;
await harness.runMany(firstSeed, iterations, {
  parallel,
  mode: values.mode,
  cli,
  git: values.git === true,
  onResult(r, done) {
    kills += r.kills;
    const width = String(iterations).length;
    console.log(`[${String(done).padStart(width)}/${iterations}] ${harness.summarise(r)}`);
    for (const n of r.notes) console.log(`    · ${n}`);
    if (!r.ok) {
      failures.push(r);
      console.log(harness.failureReport(r).replace(/^/gm, "    "));
    }
  },
});
const seconds = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`\n${iterations} iterations, ${kills} executor runs killed, ${failures.length} failed, in ${seconds} s`);
if (failures.length) {
  // What broke, by kind: ids, pids, seqs and times stripped, so one bug shows as one line.
  const kinds = new Map();
  for (const r of failures) {
    for (const v of new Set(r.violations.map(kindOf))) kinds.set(v, [...(kinds.get(v) ?? []), r.seed]);
  }
  console.log("violations by kind (iterations: first seeds):");
  for (const [kind, seeds] of [...kinds].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${String(seeds.length).padStart(4)}: ${kind}  (${seeds.slice(0, 5).join(", ")}${seeds.length > 5 ? ", …" : ""})`);
  }
  console.log("failing seeds:");
  for (const r of failures.sort((a, b) => a.seed - b.seed)) {
    console.log(`  seed ${r.seed}: ${r.violations[0]}`);
    console.log(`    reproduce: npm run torture -- --seed ${r.seed} --iterations 1 --mode ${r.mode}${r.git ? " --git" : ""}`);
  }
  process.exit(1);
}

function kindOf(violation) {
  return violation
    .split("\n")[0]
    .replace(/\d{8}T\d{6}-[0-9a-f]{6}/g, "<session>")
    .replace(/round \d+ \([^)]*\)/g, "round <n>")
    .replace(/\bt\d+\b/g, "<task>")
    .replace(/tasks\.\d+\./g, "tasks.<i>.")
    .replace(/\d+/g, "<n>")
    .slice(0, 160);
}
