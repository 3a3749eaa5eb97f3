// `npm run demo`: runs the bundled docs-site example in a fresh copy (.demo/), so the demo can
// be run again and again and the examples folder stays as shipped. The copy is a git repository
// of its own, so the run's commits land there, never in the checkout that holds it.
import { cpSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const demo = path.join(root, ".demo");
rmSync(demo, { recursive: true, force: true });
// The milestone files only: a run in examples/ itself (`deno task demo` runs there) leaves logs and
// sessions behind, which would make this run a resume of that one.
for (const entry of ["config.yaml", "active", "completed"]) {
  cpSync(path.join(root, "examples/.milestones", entry), path.join(demo, ".milestones", entry), { recursive: true });
}
const cli = path.join(root, "dist/bin/cli.js");
const args = process.argv.slice(2);
const id = args[0] ?? "docs-site";
const git = (...a) => spawnSync("git", ["-C", demo, ...a], { stdio: "ignore" }).status === 0;
const identity = ["-c", "user.name=milestone-machine demo", "-c", "user.email=demo@milestone-machine.invalid"];
const repo = git("init", "-q") && git("add", "-A") && git(...identity, "commit", "-q", "-m", "demo: the example as shipped");
if (repo) {
  git("config", "user.name", "milestone-machine demo");
  git("config", "user.email", "demo@milestone-machine.invalid");
}
const run = (...a) => spawnSync(process.execPath, [cli, ...a, "--cwd", demo, ...(repo ? [] : ["--no-git"])], { stdio: "inherit" }).status ?? 1;
let code = run("execute", id);
if (code === 0) code = run("status", id);
if (repo) {
  console.log(`\nCommits on milestone/${id} (git -C .demo log --oneline):`);
  spawnSync("git", ["-C", demo, "log", "--oneline", `milestone/${id}`], { stdio: "inherit" });
}
console.log(`\nThe run's files are in ${path.relative(process.cwd(), demo) || "."}/.milestones (logs/, completed/).`);
process.exit(code);
