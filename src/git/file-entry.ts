// Hashes a work-tree file the way `git hash-object` does and describes it as an index entry.
import { createHash } from "node:crypto";
import fs from "node:fs";
import type { IndexEntry } from "./index-format.ts";

export const EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
const BILLION = 1_000_000_000n;
const LOW32 = 0xffffffffn;

export function blobOid(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/** Git's file mode for a stat: symlink, executable or plain file. */
export function gitMode(stat: { mode: number | bigint; isSymbolicLink(): boolean }): number {
  if (stat.isSymbolicLink()) return 0o120000;
  return Number(stat.mode) & 0o100 ? 0o100755 : 0o100644;
}

export interface ReadFile {
  entry: IndexEntry;
  content: Buffer;
}

/** The file's entry and bytes, or null if it is gone or no longer a file or symlink. Stats before
 *  reading, as git does: a write after the read then shows as a stat change on the next scan. */
export function readWorkFile(absPath: string, relPath: string): ReadFile | null {
  const stat = fs.lstatSync(absPath, { bigint: true, throwIfNoEntry: false });
  if (!stat || !(stat.isFile() || stat.isSymbolicLink())) return null;
  let content: Buffer;
  try {
    content = stat.isSymbolicLink() ? fs.readlinkSync(absPath, { encoding: "buffer" }) : fs.readFileSync(absPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const entry: IndexEntry = {
    path: relPath,
    oid: blobOid(content),
    mode: gitMode(stat),
    stage: 0,
    assumeValid: false,
    extFlags: 0,
    ctimeSec: Number(stat.ctimeNs / BILLION),
    ctimeNsec: Number(stat.ctimeNs % BILLION),
    mtimeSec: Number(stat.mtimeNs / BILLION),
    mtimeNsec: Number(stat.mtimeNs % BILLION),
    dev: Number(stat.dev & LOW32),
    ino: Number(stat.ino & LOW32),
    uid: Number(stat.uid & LOW32),
    gid: Number(stat.gid & LOW32),
    size: Number(stat.size & LOW32),
  };
  return { entry, content };
}
