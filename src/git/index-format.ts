// Reads and writes `.git/index` (gitformat-index): versions 2-4 in, version 2 (3 when an entry
// needs extended flags) out, which every git since 1.5 reads. We parse it ourselves because
// isomorphic-git only offers whole-index operations (statusMatrix, add) that cost seconds on big trees.
import { createHash } from "node:crypto";
import { GitError } from "./git-error.ts";

/** One index entry; the stat fields are git's 32-bit truncations (sizes over 4 GiB wrap). Never
 *  modified in place (see rawBytes): a changed entry is a new object. */
export interface IndexEntry {
  readonly path: string;
  readonly oid: string;
  readonly mode: number;
  readonly stage: number;
  readonly assumeValid: boolean;
  /** Version-3 extended flags: 0x4000 skip-worktree, 0x2000 intent-to-add. */
  readonly extFlags: number;
  readonly ctimeSec: number;
  readonly ctimeNsec: number;
  readonly mtimeSec: number;
  readonly mtimeNsec: number;
  readonly dev: number;
  readonly ino: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
}

// The on-disk bytes of entries read or written unchanged: re-serializing 10,000 entries costs
// more than copying them. Keyed by object, so a modified copy ({ ...entry, size }) is re-encoded.
const rawBytes = new WeakMap<IndexEntry, Buffer>();

export const SKIP_WORKTREE = 0x4000;
export const INTENT_TO_ADD = 0x2000;

export function parseIndex(buf: Buffer): IndexEntry[] {
  if (buf.length < 32 || buf.toString("latin1", 0, 4) !== "DIRC") throw unsupported("is not a git index");
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) throw unsupported(`has version ${version}`);
  const count = buf.readUInt32BE(8);
  const entries: IndexEntry[] = new Array(count);
  let offset = 12;
  let previousPath: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = offset;
    const flags = buf.readUInt16BE(start + 60);
    const extFlags = flags & 0x4000 ? buf.readUInt16BE(start + 62) : 0;
    offset = start + (flags & 0x4000 ? 64 : 62);
    let pathBytes: Buffer;
    if (version === 4) {
      // Prefix compression: drop `strip` bytes from the previous path, append the NUL-ended suffix.
      let byte = buf[offset++];
      let strip = byte & 127;
      while (byte & 128) {
        byte = buf[offset++];
        strip = ((strip + 1) << 7) | (byte & 127);
      }
      const end = buf.indexOf(0, offset);
      pathBytes = Buffer.concat([previousPath.subarray(0, previousPath.length - strip), buf.subarray(offset, end)]);
      offset = end + 1;
      previousPath = pathBytes;
    } else {
      const end = buf.indexOf(0, offset);
      pathBytes = buf.subarray(offset, end);
      offset = start + ((end - start + 8) & ~7);
    }
    const raw = version === 4 ? null : buf.subarray(start, offset);
    entries[i] = {
      path: pathBytes.toString("utf8"),
      oid: buf.toString("hex", start + 40, start + 60),
      mode: buf.readUInt32BE(start + 24),
      stage: (flags >> 12) & 3,
      assumeValid: (flags & 0x8000) !== 0,
      extFlags,
      ctimeSec: buf.readUInt32BE(start),
      ctimeNsec: buf.readUInt32BE(start + 4),
      mtimeSec: buf.readUInt32BE(start + 8),
      mtimeNsec: buf.readUInt32BE(start + 12),
      dev: buf.readUInt32BE(start + 16),
      ino: buf.readUInt32BE(start + 20),
      uid: buf.readUInt32BE(start + 28),
      gid: buf.readUInt32BE(start + 32),
      size: buf.readUInt32BE(start + 36),
    };
    if (raw) rawBytes.set(entries[i], raw);
  }
  checkExtensions(buf, offset);
  return entries;
}

// Optional extensions (upper-case signature: cache tree, untracked cache, …) are dropped when we
// write; git rebuilds them. Required ones change what the entries mean, so we refuse those.
function checkExtensions(buf: Buffer, offset: number): void {
  while (offset + 8 <= buf.length - 20) {
    const signature = buf.toString("latin1", offset, offset + 4);
    if (!/^[A-Z]/.test(signature)) {
      const hint = signature === "link" ? "git update-index --no-split-index" : "git sparse-checkout disable";
      throw unsupported(`uses the '${signature}' extension (split or sparse index)`, hint);
    }
    offset += 8 + buf.readUInt32BE(offset + 4);
  }
}

function unsupported(what: string, hint = "run `git status` once to let git rewrite it"): GitError {
  return new GitError(`.git/index ${what}, which milestone-machine cannot read`, "unsupported", hint);
}

/** The index file for `entries`, which must already be sorted (see comparePaths). */
export function serializeIndex(entries: IndexEntry[]): Buffer {
  const extended = entries.some((e) => e.extFlags !== 0);
  const names = entries.map((e) => (rawBytes.has(e) ? null : Buffer.from(e.path, "utf8")));
  const sizes = entries.map((e, k) => rawBytes.get(e)?.length ?? (((e.extFlags ? 64 : 62) + names[k]!.length + 8) & ~7));
  const out = Buffer.alloc(12 + sizes.reduce((a, b) => a + b, 0) + 20);
  out.write("DIRC", 0, "latin1");
  out.writeUInt32BE(extended ? 3 : 2, 4);
  out.writeUInt32BE(entries.length, 8);
  let offset = 12;
  entries.forEach((e, k) => {
    const raw = rawBytes.get(e);
    if (raw) raw.copy(out, offset);
    else encodeEntry(e, names[k], out, offset);
    rawBytes.set(e, out.subarray(offset, offset + sizes[k]));
    offset += sizes[k];
  });
  createHash("sha1").update(out.subarray(0, offset)).digest().copy(out, offset);
  return out;
}

function encodeEntry(e: IndexEntry, name: Buffer | null, out: Buffer, offset: number): void {
  const stat = [e.ctimeSec, e.ctimeNsec, e.mtimeSec, e.mtimeNsec, e.dev, e.ino, e.mode, e.uid, e.gid, e.size];
  for (let f = 0; f < 10; f++) out.writeUInt32BE(stat[f] >>> 0, offset + f * 4);
  out.write(e.oid, offset + 40, "hex");
  const flags = (e.assumeValid ? 0x8000 : 0) | (e.extFlags ? 0x4000 : 0) | (e.stage << 12) | Math.min(name!.length, 0xfff);
  out.writeUInt16BE(flags, offset + 60);
  if (e.extFlags) out.writeUInt16BE(e.extFlags, offset + 62);
  name!.copy(out, offset + (e.extFlags ? 64 : 62));
}
