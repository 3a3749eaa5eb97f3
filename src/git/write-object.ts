// Writes loose objects and refs the way git does: to a temporary file, then renamed into place.
// isomorphic-git's writeObject and writeRef write the final file directly, so a kill -9 in the
// middle leaves an empty object (which it then never rewrites, as the name exists) or an empty
// branch ref; the milestone's crash promise (DESIGN §6) cannot rest on that. Its object writes
// also deflate through a web CompressionStream, ~8 ms an object here against ~0.2 ms this way.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";
import type { GitRepo } from "./find-repository.ts";

let counter = 0;

/** Stores a blob, tree or commit and returns its oid; an object already stored loose is left alone. */
export function writeObject(repo: GitRepo, type: "blob" | "tree" | "commit", content: Buffer): string {
  const wrapped = Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]);
  const oid = createHash("sha1").update(wrapped).digest("hex");
  const file = path.join(repo.gitdir, "objects", oid.slice(0, 2), oid.slice(2));
  if (fs.existsSync(file)) return oid;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // git's own temporary-object prefix: `git gc` knows to clean up any a crash leaves behind.
  replaceFile(file, deflateSync(wrapped), `tmp_obj_${process.pid}_${counter++}`, 0o444);
  return oid;
}

/** Points `ref` (e.g. `refs/heads/milestone/x`, or `HEAD`) at `value`: an oid or `ref: <name>`. */
export function writeRef(repo: GitRepo, ref: string, value: string): void {
  const file = path.join(repo.gitdir, ref);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // A leading dot: git skips such names when it lists loose refs, so a stray one is no ref.
  replaceFile(file, `${value}\n`, `.${path.basename(file)}.${process.pid}.tmp`);
}

function replaceFile(file: string, content: Buffer | string, tempName: string, mode?: number): void {
  const temp = path.join(path.dirname(file), tempName);
  fs.writeFileSync(temp, content, { mode });
  fs.renameSync(temp, file);
}
