#!/usr/bin/env node
// Tasks in worktrees (issue: parallel tasks in isolated worktrees). Two figures, each a ratio
// measured in this run:
//   w1  the git work per task (prepare the worktree, commit, merge) in a 10,000-file repository
//       (BENCH_SMOKE=1: 500), against a shell script doing the same git commands by hand:
//       (engine with git − engine --no-git) / (script with git − script without git), so that
//       only the git work is compared, not the engine's own start-up and log. Target ≤ 1.5×.
//   w2  1,000 `true` tasks in 10 chains at -j2 in a git repository, isolation on, against the
//       same milestone with --no-git (printed; a person running quick shell tasks should not
//       notice isolation).
// Alternating A B A B …, medians. Writes bench/results/worktrees.json (a run of one figure,
// `node bench/worktrees.bench.mjs w2`, writes worktrees-w2.json). Needs `npm run build`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chainsYaml, cli, median, root, runs, smoke } from "./lib.mjs";

const FILES = smoke ? 500 : 10_000;
const TASKS = smoke ? 3 : 20;
const QUICK = smoke ? [2, 5] : [10, 100];

function git(dir, args) {
  const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

function makeRepo(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-bench-wt-"));
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `pkg${i % 20}`, `mod${Math.floor(i / 20) % 25}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `file${i}.ts`), `export const value${i} = ${i};\n`.repeat(8));
  }
  // A task's work: three tracked files in three directories, and one new file.
  fs.writeFileSync(path.join(dir, "task.sh"), [
    "n=$1",
    `for k in 0 1 2; do i=$(( (n * 3 + k) % ${files} )); echo "// task $n" >> pkg$((i % 20))/mod$(( (i / 20) % 25 ))/file$i.ts; done`,
    "echo \"export const task = $n;\" > pkg$((n % 20))/new-$n-$$.ts",
    "",
  ].join("\n"));
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["config", "user.name", "Bench"]);
  git(dir, ["config", "user.email", "bench@example.test"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "initial"]);
  fs.mkdirSync(path.join(dir, ".milestones/active"), { recursive: true });
  return dir;
}

function timed(command, args, cwd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

// The same git commands the engine runs for a chain of tasks, by hand, in one worktree.
function scriptFor(tasks, withGit) {
  const lines = ["set -e", "wt=.milestones/worktrees/script", "tip=$(git rev-parse main)"];
  for (let n = 0; n < tasks; n++) {
    if (!withGit) { lines.push(`sh task.sh ${n}`); continue; }
    lines.push(
      n === 0 ? `git worktree add -q -B script+t${n} "$wt" "$tip"` : `git -C "$wt" checkout -q -f -B script+t${n} "$tip"`,
      `(cd "$wt" && sh task.sh ${n})`,
      `git -C "$wt" status --porcelain -z --untracked-files=all -- ':(top)' ':(top,exclude).milestones' > /dev/null`,
      `git -C "$wt" add --all -- ':(top)' ':(top,exclude).milestones'`,
      `git -C "$wt" commit -q --no-verify -m "task ${n}"`,
      `git -C "$wt" rev-list HEAD "^$tip" > /dev/null`,
      `new=$(git -C "$wt" rev-parse HEAD); git update-ref refs/heads/script "$new" $( [ ${n} = 0 ] && echo "" || echo "$tip"); tip=$new`,
    );
  }
  if (withGit) lines.push('git worktree remove --force --force "$wt"');
  return `${lines.join("\n")}\n`;
}

function milestone(dir, id, tasks) {
  const lines = [`id: ${id}`, "tasks:"];
  for (let n = 0; n < tasks; n++) {
    lines.push(`  - id: t${n}`, `    title: task ${n}`, `    run: sh task.sh ${n}`);
    if (n > 0) lines.push(`    dependencies: [t${n - 1}]`);
  }
  fs.writeFileSync(path.join(dir, `.milestones/active/${id}.yaml`), `${lines.join("\n")}\n`);
}

const wanted = process.argv.slice(2);
const runs1 = !wanted.length || wanted.includes("w1");
const runs2 = !wanted.length || wanted.includes("w2");
const samples = { engineGit: [], engineNoGit: [], scriptGit: [], scriptNoGit: [], quickGit: [], quickNoGit: [] };
const repo = makeRepo(runs1 ? FILES : 10);
for (let r = 0; r < (runs1 ? runs + 1 : 0); r++) {
  const keep = r > 0; // the first round warms the page cache and is not counted
  const id = `w${r}`;
  milestone(repo, `${id}-git`, TASKS);
  milestone(repo, `${id}-nogit`, TASKS);
  const engineGit = timed("node", [cli, "execute", `${id}-git`, "--concurrency", "1", "--json"], repo);
  const engineNoGit = timed("node", [cli, "execute", `${id}-nogit`, "--concurrency", "1", "--json", "--no-git"], repo);
  git(repo, ["checkout", "-q", "-f", "main"]);
  git(repo, ["clean", "-q", "-f", "--", "pkg*"]);
  fs.writeFileSync(path.join(repo, "script.sh"), scriptFor(TASKS, true));
  const scriptGit = timed("sh", ["script.sh"], repo);
  fs.writeFileSync(path.join(repo, "script.sh"), scriptFor(TASKS, false));
  const scriptNoGit = timed("sh", ["script.sh"], repo);
  git(repo, ["checkout", "-q", "-f", "main"]);
  git(repo, ["clean", "-q", "-f", "--", "pkg*"]);
  git(repo, ["branch", "-q", "-D", "script"]);
  if (keep) Object.entries({ engineGit, engineNoGit, scriptGit, scriptNoGit }).forEach(([k, v]) => samples[k].push(v));
}

const small = makeRepo(10);
for (let r = 0; r < (runs2 ? runs + 1 : 0); r++) {
  const [chains, length] = QUICK;
  fs.writeFileSync(path.join(small, `.milestones/active/q${r}-git.yaml`), chainsYaml(`q${r}-git`, chains, length));
  fs.writeFileSync(path.join(small, `.milestones/active/q${r}-nogit.yaml`), chainsYaml(`q${r}-nogit`, chains, length));
  const quickGit = timed("node", [cli, "execute", `q${r}-git`, "--concurrency", "2", "--json"], small);
  const quickNoGit = timed("node", [cli, "execute", `q${r}-nogit`, "--concurrency", "2", "--json", "--no-git"], small);
  if (r > 0) { samples.quickGit.push(quickGit); samples.quickNoGit.push(quickNoGit); }
}

const m = Object.fromEntries(Object.entries(samples).filter(([, v]) => v.length).map(([k, v]) => [k, median(v)]));
const perTaskEngine = (m.engineGit - m.engineNoGit) / TASKS;
const perTaskScript = (m.scriptGit - m.scriptNoGit) / TASKS;
const w1 = perTaskEngine / perTaskScript;
const w2 = m.quickGit / m.quickNoGit;
const result = {
  ran: runs1 && runs2 ? ["w1", "w2"] : runs1 ? ["w1"] : ["w2"],
  files: FILES,
  tasks: TASKS,
  runs,
  medians_ms: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v)])),
  w1: { git_ms_per_task_engine: Number(perTaskEngine.toFixed(1)), git_ms_per_task_script: Number(perTaskScript.toFixed(1)), ratio: Number(w1.toFixed(2)), target: "≤ 1.5×" },
  w2: { tasks: QUICK[0] * QUICK[1], isolation_ms: Math.round(m.quickGit), no_git_ms: Math.round(m.quickNoGit), ratio: Number(w2.toFixed(2)) },
};
if (!runs1) delete result.w1;
if (!runs2) delete result.w2;
console.log([
  smoke ? "SMOKE RUN (tiny sizes, one run each; the figures mean nothing)" : null,
  runs1 ? `w1 git work per task, ${FILES} files: engine ${result.w1.git_ms_per_task_engine} ms, by hand ${result.w1.git_ms_per_task_script} ms: ${result.w1.ratio}× (target ≤ 1.5×)` : null,
  runs2 ? `w2 ${result.w2.tasks} true tasks, 10 chains, -j2: isolation ${result.w2.isolation_ms} ms, --no-git ${result.w2.no_git_ms} ms: ${result.w2.ratio}×` : null,
].filter(Boolean).join("\n"));
const name = result.ran.length === 2 ? "worktrees" : `worktrees-${result.ran[0]}`;
if (!smoke) fs.writeFileSync(path.join(root, `bench/results/${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
for (const dir of [repo, small]) fs.rmSync(dir, { recursive: true, force: true });
