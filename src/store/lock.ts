// One executor per milestone (DESIGN §6.4): `.milestones/sessions/<id>.lock` names who runs it.
// The lock is taken with O_EXCL, so two executors racing for it cannot both win; a lock whose
// owner is gone (dead pid on this host, or a heartbeat older than STALE_MS) is taken over by
// moving it aside with rename (atomic: of several executors racing, one moves it) and only then
// creating a new one with O_EXCL: taking over is as exclusive as taking.
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

// Written whole to a file of its own, then linked into place (fails if a lock exists), so that a
// lock is never seen half-written: false when the file exists.
function createExclusive(file: string, info: LockInfo): boolean {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.new`;
  fs.writeFileSync(temp, JSON.stringify(info));
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

// Moves the lock aside if it is still the dead holder's (or unreadable): true when this process
// moved it. A racer that moved a fresh lock by mistake (another took over first) puts it back.
function moveAsideIfStill(file: string, dead: LockInfo | null): boolean {
  const aside = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  const moved = readLock(aside);
  const same = dead === null ? moved === null : moved?.pid === dead.pid && moved.session_id === dead.session_id;
  if (!same) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // A lock exists again: the racers sort it out in their next round.
    }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  return true;
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
  // A few rounds: each ends with the lock ours, a live holder's refusal, or another racer having
  // moved the dead holder's lock (then look again at what is there now).
  for (let round = 0; ; round++) {
    if (createExclusive(file, info)) break;
    const holder = readLock(file);
    if ((holder && lockIsLive(holder)) || round === 5) {
      const who = holder ?? { pid: "?", host: "?", started_at: "?" };
      throw new ExitError(
        `milestone '${milestoneId}' is being executed by pid ${who.pid} on ${who.host} since ${who.started_at}`,
        EXIT.locked,
        `wait for it to finish, or stop it (Ctrl-C in its terminal, or kill ${who.pid})`,
      );
    }
    if (moveAsideIfStill(file, holder)) takenOverFrom = holder;
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
