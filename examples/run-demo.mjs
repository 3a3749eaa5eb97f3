// `npm run demo`: runs the bundled docs-site example in a fresh copy (.demo/), so the demo can
// be run again and again and the examples folder stays as shipped.
import { cpSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const demo = path.join(root, ".demo");
rmSync(demo, { recursive: true, force: true });
cpSync(path.join(root, "examples/.milestones"), path.join(demo, ".milestones"), { recursive: true });
const cli = path.join(root, "dist/src/cli.js");
const args = process.argv.slice(2);
const run = (...a) => spawnSync(process.execPath, [cli, ...a, "--cwd", demo], { stdio: "inherit" }).status ?? 1;
let code = run("execute", args[0] ?? "docs-site");
if (code === 0) code = run("status", args[0] ?? "docs-site");
console.log(`\nThe run's files are in ${path.relative(process.cwd(), demo) || "."}/.milestones (logs/, completed/).`);
process.exit(code);
