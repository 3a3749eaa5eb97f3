// One executor per milestone (DESIGN §6.4): `.milestones/sessions/<id>.lock` names who runs it.
// The lock is taken with O_EXCL, so two executors racing for it cannot both win; a lock whose
// owner is gone (dead pid on this host, or a heartbeat older than STALE_MS) is taken over.
// Its writes are not synced to disk: a power loss that undid one also killed every holder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ExitError } from "../errors.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { replaceFile } from "./atomic-write.ts";
import { processAlive } from "./process-alive.ts";

export interface LockInfo {
  pid: number;
  host: string;
  session_id: string;
  started_at: string;
  heartbeat: string;
}

export const HEARTBEAT_MS = 10_000;
const STALE_MS = 6 * HEARTBEAT_MS;

export interface HeldLock {
  info: LockInfo;
  /** The previous owner when a dead owner's lock was taken over. */
  takenOverFrom: LockInfo | null;
  heartbeat(): void;
  release(): void;
}

export function readLock(file: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

/** Whether the lock's owner can still be running. */
export function lockIsLive(info: LockInfo, now = Date.now()): boolean {
  if (info.host === os.hostname()) return processAlive(info.pid) && info.pid !== process.pid;
  return now - Date.parse(info.heartbeat) < STALE_MS;
}

/** Removes the lock file if its owner is dead; a live owner's lock stays. */
export function removeDeadLock(file: string): void {
  const info = readLock(file);
  if (info !== null && !lockIsLive(info)) fs.rmSync(file, { force: true });
}

export function acquireLock(file: string, milestoneId: string, sessionId: string): HeldLock {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const now = new Date().toISOString();
  const info: LockInfo = { pid: process.pid, host: os.hostname(), session_id: sessionId, started_at: now, heartbeat: now };
  let takenOverFrom: LockInfo | null = null;
  try {
    const fd = fs.openSync(file, "wx");
    fs.writeSync(fd, JSON.stringify(info));
    fs.closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const holder = readLock(file);
    if (holder && lockIsLive(holder)) {
      throw new ExitError(
        `milestone '${milestoneId}' is being executed by pid ${holder.pid} on ${holder.host} since ${holder.started_at}`,
        EXIT.locked,
        `wait for it to finish, or stop it (Ctrl-C in its terminal, or kill ${holder.pid})`,
      );
    }
    takenOverFrom = holder;
    replaceFile(file, JSON.stringify(info));
  }
  return {
    info,
    takenOverFrom,
    heartbeat() {
      info.heartbeat = new Date().toISOString();
      replaceFile(file, JSON.stringify(info));
    },
    release() {
      const current = readLock(file);
      if (current?.pid === process.pid && current.session_id === sessionId) fs.rmSync(file, { force: true });
    },
  };
}
