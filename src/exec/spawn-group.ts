// Starting a program as the leader of a new process group, its output in a log file, and learning
// how it ended. Runs in whichever JavaScript process does the forking (spawner-main under Node
// where spawner.py does not run, the engine under Deno), so it imports nothing of the engine:
// node: built-ins and the log opener only. spawner.py does the same in Python.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import type { LaunchRequest, LeaderExit } from "./launcher.ts";
import { openLog, openLogAppend } from "./open-log.ts";

/**
 * Spawn the request detached, which makes it the leader of a new process group (pgid = pid), so
 * the task and all its descendants can be signalled at once. Calls `onPid` synchronously if the
 * process exists, then `onExit` exactly once; a start that fails reports through `onExit`.
 */
export function startGroup(request: LaunchRequest, onPid: (pid: number) => void, onExit: (exit: LeaderExit) => void): void {
  let child: ChildProcess;
  try {
    child = spawnLogged(request);
  } catch (error) {
    onExit({ error: { phase: "setup", code: (error as NodeJS.ErrnoException).code, message: (error as Error).message } });
    return;
  }
  let ended = false;
  const end = (exit: LeaderExit) => {
    if (ended) return;
    ended = true;
    onExit(exit);
  };
  if (child.pid !== undefined) onPid(child.pid);
  // 'error' also fires for a failed kill() on a running child; only a child without a pid failed
  // to start. We never use child.kill(), so that case is not ours to handle.
  child.once("error", (error: NodeJS.ErrnoException) => {
    if (child.pid === undefined) end({ error: { phase: "exec", code: error.code, message: error.message } });
  });
  child.once("exit", (code, signal) => end({ code, signal }));
}

// Deno's `detached` spawn forks (a posix_spawn cannot call setsid), which costs over 2 ms per
// task from a process the engine's size; spawning util-linux's setsid instead lets the child
// start the cheap way, and setsid, not a group leader, makes itself one in place and execs the
// program: same pid, pgid = pid. Only for `sh` (run: and verify: commands), which always exists:
// an agent program that does not would become setsid's exit 1 instead of a clear ENOENT. Found
// by running it once (looking for the file would need --allow-read outside the project).
let setsid: string | null | undefined;

function setsidProgram(): string | null {
  if (setsid !== undefined) return setsid;
  setsid = null;
  if (!("Deno" in globalThis) || process.platform !== "linux") return setsid;
  try {
    // util-linux's answers --version; BusyBox's does not, and may not take `--` either.
    if (spawnSync("setsid", ["--version"], { stdio: "ignore" }).status === 0) setsid = "setsid";
  } catch {
    // Not there, or not allowed to run: the detached spawn works everywhere.
  }
  return setsid;
}

// The log fd becomes the child's stdout and stderr, so output goes straight to disk; our copy is
// closed once the child has its own.
function spawnLogged(request: LaunchRequest): ChildProcess {
  const fd = request.append === undefined ? openLog(request.logFile) : openLogAppend(request.logFile, request.append);
  try {
    const viaSetsid = request.file === "sh" && setsidProgram() !== null;
    return spawn(viaSetsid ? setsid! : request.file, viaSetsid ? ["--", request.file, ...request.args] : request.args, {
      cwd: request.cwd,
      // Passing no env lets the child inherit ours without copying it per attempt, and under Deno
      // without needing --allow-env.
      env: Object.keys(request.env).length === 0 ? undefined : { ...process.env, ...request.env },
      stdio: ["ignore", fd, fd],
      detached: !viaSetsid,
    });
  } finally {
    fs.closeSync(fd);
  }
}
