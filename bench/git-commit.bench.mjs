// The git agent's per-task commit against the git CLI (issue: git library speed). Two twin
// repositories of 10,000 files in nested directories (BENCH_SMOKE=1: 500); each task edits three
// tracked files in different directories and adds one new file, then commits: ours with
// commitTask in this (long-lived, like the agent) process, the baseline with
// `git add -A && git commit -q -m x`, alternating task by task. A second row does the same with
// tasks that declare `paths:` (their own directory), against `git add -A <dir> && git commit`; a
// third times the conflict probe (findConflicts over the whole tree) against `git status`.
// Prints the medians and ratios and writes bench/results/git-commit.json. Needs `npm run build`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { median, root, smoke } from "./lib.mjs";

const dist = path.join(root, "dist/src/git");
const { findRepository } = await import(path.join(dist, "find-repository.js"));
const { ensureBranch } = await import(path.join(dist, "ensure-branch.js"));
const { commitTask } = await import(path.join(dist, "commit-task.js"));
const { findConflicts } = await import(path.join(dist, "find-conflicts.js"));

const FILES = smoke ? 500 : 10_000;
const TASKS = smoke ? 2 : Math.max(5, Number(process.env.BENCH_RUNS ?? 15));
const TARGET = 2;
const author = { name: "Bench", email: "bench@example.test" };

function git(dir, args) {
  const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

// 10,000 files as 20 top directories × 25 subdirectories × 20 files, like a mid-size project.
function makeRepo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-bench-git-"));
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(dir, `pkg${i % 20}`, `mod${Math.floor(i / 20) % 25}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `file${i}.ts`), `export const value${i} = ${i};\n`.repeat(8));
  }
  fs.writeFileSync(path.join(dir, ".gitignore"), "*.log\nbuild/\n");
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["config", "user.name", author.name]);
  git(dir, ["config", "user.email", author.email]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "initial"]);
  return dir;
}

// A task's work: three tracked files in three directories of package `pkg`, plus one new file.
function doTask(dir, n, pkg) {
  for (let k = 0; k < 3; k++) {
    const i = pkg + 20 * ((n * 3 + k) % Math.floor(FILES / 20));
    fs.appendFileSync(path.join(dir, `pkg${i % 20}`, `mod${Math.floor(i / 20) % 25}`, `file${i}.ts`), `// task ${n}\n`);
  }
  fs.writeFileSync(path.join(dir, `pkg${pkg}`, `new-${n}.ts`), `export const task = ${n};\n`);
}

const time = async (work) => {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

async function scenario(label, withPaths) {
  const ours = makeRepo();
  const theirs = makeRepo();
  const repo = await findRepository(ours);
  await ensureBranch(repo, "milestone/bench");
  git(theirs, ["switch", "-q", "-c", "milestone/bench"]);
  const times = { ours: [], git: [], first: null };
  for (let n = 0; n <= TASKS; n++) {
    const pkg = n % 20;
    doTask(ours, n, pkg);
    doTask(theirs, n, pkg);
    const input = { milestoneId: "bench", taskId: `t${n}`, title: `task ${n}`, projectDir: ours, author, branch: "milestone/bench" };
    if (withPaths) input.paths = [`pkg${pkg}/**`];
    const oursMs = await time(() => commitTask(repo, input));
    const gitMs = await time(() => {
      git(theirs, withPaths ? ["add", "-A", `pkg${pkg}`] : ["add", "-A"]);
      git(theirs, ["commit", "-q", "-m", `task ${n}`]);
    });
    // Task 0 pays for parsing the index once; the agent then commits many times in a row.
    if (n === 0) times.first = { ours: oursMs, git: gitMs };
    else {
      times.ours.push(oursMs);
      times.git.push(gitMs);
    }
  }
  // The conflict probe between tasks (no changedPaths: every changed file is searched) against
  // `git status`, which does the same whole-tree stat, index and untracked walk.
  const probe = { ours: [], git: [] };
  if (!withPaths) {
    for (let n = 0; n < TASKS; n++) {
      doTask(ours, 1000 + n, n % 20);
      doTask(theirs, 1000 + n, n % 20);
      probe.ours.push(await time(async () => assert((await findConflicts(repo)).length === 0, "conflicts found")));
      probe.git.push(await time(() => git(theirs, ["status", "--porcelain"])));
    }
    git(ours, ["add", "-A"]);
    git(ours, ["commit", "-q", "-m", "after the probe"]);
  }
  const clean = git(ours, ["status", "--porcelain"]) === "";
  const fsck = spawnSync("git", ["fsck", "--strict"], { cwd: ours }).status === 0;
  const commits = Number(git(ours, ["rev-list", "--count", "main..milestone/bench"]).trim());
  for (const dir of [ours, theirs]) fs.rmSync(dir, { recursive: true, force: true });
  if (!clean || !fsck || commits !== TASKS + 1 + (withPaths ? 0 : 1)) throw new Error(`${label}: status clean ${clean}, fsck ${fsck}, commits ${commits}`);
  const row = { ours_ms: round(median(times.ours)), git_cli_ms: round(median(times.git)) };
  const result = { ...row, ratio: round(row.ours_ms / row.git_cli_ms, 2), first_task: { ours_ms: round(times.first.ours), git_cli_ms: round(times.first.git) } };
  if (withPaths) return { result };
  const conflicts = { ours_ms: round(median(probe.ours)), git_status_ms: round(median(probe.git)) };
  return { result, conflicts: { ...conflicts, ratio: round(conflicts.ours_ms / conflicts.git_status_ms, 2) } };
}

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

const round = (x, digits = 1) => Number(x.toFixed(digits));
const all = await scenario("all changes", false);
const declared = await scenario("declared paths", true);
const rows = { all_changes: all.result, declared_paths: declared.result };
const result = {
  scenario: `${FILES} files; per task: edit 3 tracked files, add 1, commit (median of ${TASKS} tasks, alternating)`,
  rows,
  find_conflicts_vs_git_status: all.conflicts,
  target_ratio: TARGET,
  target_met: Object.values(rows).every((r) => r.ratio <= TARGET),
  node: process.version,
  git: git(root, ["--version"]).trim(),
  at: new Date().toISOString(),
};
console.log(`scenario        ${result.scenario}`);
console.log("                ours ms   git CLI ms   ratio   (first task: ours / git)");
for (const [name, r] of Object.entries(rows)) {
  const cells = [r.ours_ms.toFixed(1).padStart(7), r.git_cli_ms.toFixed(1).padStart(12), `${r.ratio.toFixed(2)}×`.padStart(7)];
  console.log(`${name.padEnd(15)} ${cells.join(" ")}   (${r.first_task.ours_ms} / ${r.first_task.git_cli_ms})`);
}
const probe = result.find_conflicts_vs_git_status;
console.log(`findConflicts   ${probe.ours_ms.toFixed(1).padStart(7)} ${probe.git_status_ms.toFixed(1).padStart(12)} ${`${probe.ratio.toFixed(2)}×`.padStart(7)}   (against git status --porcelain)`);
console.log(`target          ≤ ${TARGET}× the git CLI per task commit: ${result.target_met ? "met" : "NOT met"}`);
if (!smoke) fs.writeFileSync(path.join(root, "bench/results/git-commit.json"), `${JSON.stringify(result, null, 2)}\n`);
