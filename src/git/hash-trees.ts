// Computes, in memory, the tree objects a sorted list of index entries describes (what
// `git write-tree` would write), so that only the trees that differ from the parent commit's
// need to be written. Directories outside the changed paths keep the oids computed for the
// previous index, as git's cache-tree does: a commit then re-hashes a few trees, not thousands.
import { createHash } from "node:crypto";
import { INTENT_TO_ADD, type IndexEntry } from "./index-format.ts";

export interface TreeItem {
  mode: string;
  path: string;
  oid: string;
  type: "blob" | "tree" | "commit";
}

export interface Trees {
  root: string;
  /** Directory ("" for the root, no trailing slash) → its tree's oid and items. */
  dirs: Map<string, { oid: string; items: TreeItem[] }>;
}

/** What a tree needs of an index entry (parent-commit files are described the same way). */
export type TreeSource = Pick<IndexEntry, "path" | "oid" | "mode" | "extFlags">;

/** Trees computed for an earlier list, and the paths changed since: their directories are redone. */
export interface TreeReuse {
  trees: Trees;
  changedPaths: Iterable<string>;
}

/** `entries` must be stage-0 only and sorted by path: then each directory's entries are contiguous
 *  and already in git's tree order (a directory sorts as its name followed by "/"). */
export function hashTrees(entries: TreeSource[], reuse?: TreeReuse): Trees {
  const dirty = reuse ? dirsOf(reuse.changedPaths) : null;
  const dirs: Trees["dirs"] = reuse ? new Map(reuse.trees.dirs) : new Map();
  let i = 0;
  const build = (prefix: string): string => {
    const dir = prefix.slice(0, -1);
    const known = dirty && !dirty.has(dir) ? dirs.get(dir) : undefined;
    if (known) {
      while (i < entries.length && entries[i].path.startsWith(prefix)) i++;
      return known.oid;
    }
    const items: TreeItem[] = [];
    while (i < entries.length && entries[i].path.startsWith(prefix)) {
      const entry = entries[i];
      const slash = entry.path.indexOf("/", prefix.length);
      if (slash >= 0) {
        const name = entry.path.slice(prefix.length, slash);
        items.push({ mode: "40000", path: name, oid: build(`${prefix}${name}/`), type: "tree" });
        continue;
      }
      i++;
      // `git add -N` placeholders are not part of any commit.
      if (entry.extFlags & INTENT_TO_ADD) continue;
      items.push({ mode: entry.mode.toString(8), path: entry.path.slice(prefix.length), oid: entry.oid, type: entry.mode === 0o160000 ? "commit" : "blob" });
    }
    const oid = treeOid(items);
    dirs.set(dir, { oid, items });
    return oid;
  };
  return { root: build(""), dirs };
}

// Every directory above a changed path ("" is the root).
function dirsOf(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>([""]);
  for (const p of paths) {
    for (let slash = p.indexOf("/"); slash >= 0; slash = p.indexOf("/", slash + 1)) dirs.add(p.slice(0, slash));
  }
  return dirs;
}

export function treeOid(items: TreeItem[]): string {
  const body = treeBody(items);
  return createHash("sha1").update(`tree ${body.length}\0`).update(body).digest("hex");
}

/** The tree object's content: `<mode> <name>\0<20-byte oid>` per item, items in tree order. */
export function treeBody(items: TreeItem[]): Buffer {
  const heads = items.map((item) => `${item.mode} ${item.path}\0`);
  const body = Buffer.allocUnsafe(heads.reduce((n, head) => n + Buffer.byteLength(head) + 20, 0));
  let offset = 0;
  items.forEach((item, k) => {
    offset += body.write(heads[k], offset);
    offset += body.write(item.oid, offset, "hex");
  });
  return body;
}
