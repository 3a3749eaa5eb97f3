// Starting a program as the leader of a new process group, and waiting for it to end.
import { spawn, type ChildProcess } from "node:child_process";
import type { TaskCommand } from "../milestone/plan-types.ts";

export interface GroupOptions {
  cwd: string;
  env: Record<string, string>;
  /** File descriptor that receives both stdout and stderr. */
  outFd: number;
}

/** How a group leader ended: its exit status, or the error that kept it from starting. */
export type LeaderExit =
  | { code: number | null; signal: NodeJS.Signals | null }
  | { error: NodeJS.ErrnoException };

/** The program and arguments for a task command; an agent's argv bypasses the shell. */
export function commandLine(command: TaskCommand): { file: string; args: string[] } {
  if (command.kind === "shell") return { file: "sh", args: ["-c", command.script] };
  return { file: command.argv[0], args: command.argv.slice(1) };
}

/**
 * Spawn `file` detached, which makes it the leader of a new process group (pgid = pid), so the
 * task and all its descendants can be signalled at once. Synchronous so the caller knows the
 * pid at once; a program that cannot start reports through waitLeader, not by throwing.
 */
export function spawnGroup(file: string, args: string[], options: GroupOptions): ChildProcess {
  return spawn(file, args, {
    cwd: options.cwd,
    // Passing no env lets the child inherit ours without copying it per attempt, and under Deno
    // without needing --allow-env.
    env: Object.keys(options.env).length === 0 ? undefined : { ...process.env, ...options.env },
    stdio: ["ignore", options.outFd, options.outFd],
    detached: true,
  });
}

/** Resolves once the leader has exited (or failed to start); never rejects. */
export function waitLeader(child: ChildProcess): Promise<LeaderExit> {
  return new Promise((resolve) => {
    // 'error' also fires for a failed kill() on a running child; only a child without a pid
    // failed to start. We never use child.kill(), so that case is not ours to handle.
    child.once("error", (error) => {
      if (child.pid === undefined) resolve({ error: error as NodeJS.ErrnoException });
    });
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
}
