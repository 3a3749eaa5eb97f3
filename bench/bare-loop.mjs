// The baseline: spawn `sh -c <cmd>` for every command, at most CAP at once, nothing else.
// Usage: node bench/bare-loop.mjs <count> <cap> [cmd]
import { spawn } from "node:child_process";

const [count, cap] = [Number(process.argv[2]), Number(process.argv[3])];
const cmd = process.argv[4] ?? "true";
let started = 0;
let finished = 0;
function next() {
  if (started >= count) return;
  started++;
  spawn("sh", ["-c", cmd], { stdio: "ignore" }).on("exit", () => {
    finished++;
    if (finished === count) process.exit(0);
    next();
  });
}
for (let i = 0; i < Math.min(cap, count); i++) next();
