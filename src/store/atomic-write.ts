// Never a half-written file: write a temp file beside the target, fsync it, rename it over the
// target, then fsync the directory so the rename itself survives a crash.
import fs from "node:fs";
import path from "node:path";
import { crashPoint, type CrashPointName } from "../persist/crash-point.ts";

/** `content`: the text, or pieces of it written one after the other. `crashAt` names the place
 *  for the crash-test harness: between the temp file and the rename. Returns the bytes written. */
export function writeFileAtomic(file: string, content: string | readonly string[], crashAt?: CrashPointName): number {
  return replace(file, content, true, crashAt);
}

/** writeFileAtomic without the fsyncs: a reader still sees the old or the new content, never a
 *  mix, but a power loss may undo the change. For the executor lock, whose every holder dies with
 *  the machine; an fsync costs up to a few milliseconds here, on the way to the first task. */
export function replaceFile(file: string, content: string): number {
  return replace(file, content, false);
}

function replace(file: string, content: string | readonly string[], durable: boolean, crashAt?: CrashPointName): number {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(temp, "w");
  let bytes = 0;
  try {
    for (const piece of typeof content === "string" ? [content] : content) bytes += fs.writeSync(fd, piece);
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (crashAt) crashPoint(crashAt);
  fs.renameSync(temp, file);
  if (durable) syncDir(dir);
  return bytes;
}

/** fsync a directory so that entries created or renamed in it are durable. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (and Deno's node compat on some) cannot fsync a directory; the rename is
    // still atomic, only its durability across power loss is weaker there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
