// Compares freshly hashed trees with the parent commit's, descending only where the oids differ:
// for a task that touched three files that is a handful of tree reads, not the whole history of
// a 10,000-file tree. The result names the trees to write and the files that changed.
import fs from "node:fs";
import git from "isomorphic-git";
import type { GitRepo } from "./find-repository.ts";
import type { TreeItem, Trees } from "./hash-trees.ts";
import { repoState } from "./repo-state.ts";

export interface TreeDiff {
  /** Directories whose tree object is new, children before parents. */
  write: string[];
  /** Work-tree-relative paths of files added, modified (content or mode) or deleted. */
  files: string[];
}

/** `known`: trees already in memory (the previous index's), read instead of the object store
 *  when a parent directory's oid matches: after our own commits, that is every one of them. */
export async function diffTrees(repo: GitRepo, trees: Trees, parentTree: string | null, known?: Trees): Promise<TreeDiff> {
  const diff: TreeDiff = { write: [], files: [] };
  const compare = async (dir: string, oid: string, oldOid: string | null) => {
    if (oid === oldOid) return;
    diff.write.push(dir);
    const remembered = known?.dirs.get(dir);
    const oldItems = !oldOid ? [] : remembered?.oid === oldOid ? remembered.items : await readItems(repo, oldOid);
    const old = new Map(oldItems.map((item) => [item.path, item]));
    for (const item of trees.dirs.get(dir)!.items) {
      const path = join(dir, item.path);
      const before = old.get(item.path);
      old.delete(item.path);
      if (item.type === "tree") {
        if (before && before.type !== "tree") diff.files.push(path);
        await compare(path, item.oid, before?.type === "tree" ? before.oid : null);
      } else {
        if (before?.type === "tree") diff.files.push(...(await listFiles(repo, before.oid, path)));
        if (!before || before.type === "tree" || before.oid !== item.oid || parseInt(before.mode, 8) !== parseInt(item.mode, 8)) diff.files.push(path);
      }
    }
    for (const gone of old.values()) {
      const path = join(dir, gone.path);
      if (gone.type === "tree") diff.files.push(...(await listFiles(repo, gone.oid, path)));
      else diff.files.push(path);
    }
  };
  await compare("", trees.root, parentTree);
  diff.write.reverse();
  diff.files.sort();
  return diff;
}

/** Every file under a tree, as work-tree-relative paths with their entries (for whole-tree fallbacks). */
export async function flattenTree(repo: GitRepo, oid: string, prefix = ""): Promise<Array<TreeItem & { path: string }>> {
  const out: Array<TreeItem & { path: string }> = [];
  for (const item of await readItems(repo, oid)) {
    const path = join(prefix, item.path);
    if (item.type === "tree") out.push(...(await flattenTree(repo, item.oid, path)));
    else out.push({ ...item, path });
  }
  return out;
}

async function listFiles(repo: GitRepo, oid: string, prefix: string): Promise<string[]> {
  return (await flattenTree(repo, oid, prefix)).map((item) => item.path);
}

async function readItems(repo: GitRepo, oid: string): Promise<TreeItem[]> {
  const { tree } = await git.readTree({ fs, gitdir: repo.gitdir, oid, cache: repoState(repo).objects });
  return tree as TreeItem[];
}

const join = (dir: string, name: string) => (dir === "" ? name : `${dir}/${name}`);
