// Starting a program as the leader of a new process group, its output in a log file, and learning
// how it ended. Runs in whichever process does the forking (the spawner under Node, the engine
// under Deno), so it imports nothing of the engine: node: built-ins and the log opener only.
import { spawn, type ChildProcess } from "node:child_process";
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

// The log fd becomes the child's stdout and stderr, so output goes straight to disk; our copy is
// closed once the child has its own.
function spawnLogged(request: LaunchRequest): ChildProcess {
  const fd = request.append === undefined ? openLog(request.logFile) : openLogAppend(request.logFile, request.append);
  try {
    return spawn(request.file, request.args, {
      cwd: request.cwd,
      // Passing no env lets the child inherit ours without copying it per attempt, and under Deno
      // without needing --allow-env.
      env: Object.keys(request.env).length === 0 ? undefined : { ...process.env, ...request.env },
      stdio: ["ignore", fd, fd],
      detached: true,
    });
  } finally {
    fs.closeSync(fd);
  }
}
