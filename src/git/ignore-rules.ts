// .gitignore semantics (gitignore(5)) for the change scan: the last matching pattern wins,
// `!` re-includes, a trailing `/` matches directories only, and a pattern with a slash before
// its end is anchored to the directory of the file that declares it.
import os from "node:os";
import path from "node:path";
import type { GitRepo } from "./find-repository.ts";
import { readConfig } from "./git-config.ts";
import { readOptionalFile } from "./read-optional.ts";

export interface IgnoreRule {
  /** Work-tree-relative directory of the declaring .gitignore; "" for the root and global files. */
  base: string;
  pattern: RegExp;
  negate: boolean;
  dirOnly: boolean;
  anchored: boolean;
}

/** Rules that apply everywhere: core.excludesFile (or its XDG default), then .git/info/exclude. */
export async function globalIgnoreRules(repo: GitRepo): Promise<IgnoreRule[]> {
  const home = process.env.HOME ?? os.homedir();
  const configured = await readConfig(repo, "core.excludesFile");
  const xdg = process.env.XDG_CONFIG_HOME || path.join(home, ".config");
  const userFile = configured ? configured.replace(/^~(?=\/)/, home) : path.join(xdg, "git", "ignore");
  return [...readIgnoreFile(userFile, ""), ...readIgnoreFile(path.join(repo.gitdir, "info", "exclude"), "")];
}

export function readIgnoreFile(file: string, base: string): IgnoreRule[] {
  const text = readOptionalFile(file);
  return text === null ? [] : parseIgnore(text, base);
}

export function parseIgnore(text: string, base: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (let line of text.split(/\r?\n/)) {
    line = line.replace(/(?<!\\)\s+$/, "");
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    if (line === "") continue;
    rules.push({ base, pattern: new RegExp(`^${globToRegex(line)}$`), negate, dirOnly, anchored });
  }
  return rules;
}

/** Whether `relPath` (work-tree-relative, no trailing slash) is ignored, given its parent is not. */
export function isIgnored(rules: IgnoreRule[], relPath: string, isDir: boolean): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule.dirOnly && !isDir) continue;
    if (rule.base !== "" && !relPath.startsWith(`${rule.base}/`)) continue;
    const local = rule.base === "" ? relPath : relPath.slice(rule.base.length + 1);
    const subject = rule.anchored ? local : local.slice(local.lastIndexOf("/") + 1);
    if (rule.pattern.test(subject)) return !rule.negate;
  }
  return false;
}

/** Translates a gitignore/pathspec glob: `**` spans directories, `*` `?` `[…]` stay within one. */
export function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*" && (i === 0 || glob[i - 1] === "/") && (i + 2 === glob.length || glob[i + 2] === "/")) {
      // `**/` at the start or `/**/` inside: zero or more directories; a final `/**`: everything below.
      if (i + 2 === glob.length) out += ".*";
      else out += "(?:.*/)?";
      i += 2;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[" && glob.indexOf("]", i + 2) > 0) {
      const end = glob.indexOf("]", i + 2);
      const body = glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
      out += `[${body}]`;
      i = end;
    } else if (c === "\\" && i + 1 < glob.length) out += escape(glob[++i]);
    else out += escape(c);
  }
  return out;
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
