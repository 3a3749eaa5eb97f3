// Named places where the crash-test harness (test/crash/) kills the executor with SIGKILL, to
// prove that a crash exactly there loses nothing. Off unless MM_CRASH_AT names the point:
// MM_CRASH_AT=<point> dies at its first hit, <point>:<n> at its n-th.
import process from "node:process";

export type CrashPointName =
  | "before-task-started"
  | "after-spawn"
  | "before-task-completed"
  | "after-task-completed"
  | "after-task-commit"
  | "before-merge-ref"
  | "after-merge"
  | "snapshot-write"
  | "milestone-write";

const [target, nth] = crashSetting().split(":");
const hitsToCrash = Number(nth ?? 1) || 1;
let hits = 0;

export function crashPoint(name: CrashPointName): void {
  if (name !== target) return;
  hits++;
  if (hits >= hitsToCrash) process.kill(process.pid, "SIGKILL");
}

// Deno without --allow-env for this variable: no crash test is running.
function crashSetting(): string {
  try {
    return process.env.MM_CRASH_AT ?? "";
  } catch {
    return "";
  }
}
