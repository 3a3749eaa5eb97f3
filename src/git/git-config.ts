// Reads git configuration values the way git resolves them: the repository's .git/config first
// (through isomorphic-git), then the user's global files, which isomorphic-git does not read.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import git from "isomorphic-git";
import type { GitRepo } from "./find-repository.ts";
import { readOptionalFile } from "./read-optional.ts";

/** `key` is `section.name`, e.g. `user.email`; undefined when no file sets it. */
export async function readConfig(repo: GitRepo, key: string): Promise<string | undefined> {
  const local = await git.getConfig({ fs, gitdir: repo.gitdir, path: key });
  if (local !== undefined && local !== null) return String(local);
  return readGlobalConfig(key);
}

/** The global files in git's order, the later winning: $XDG_CONFIG_HOME/git/config, ~/.gitconfig. */
export function globalConfigFiles(): string[] {
  const home = process.env.HOME ?? os.homedir();
  const xdg = process.env.XDG_CONFIG_HOME || path.join(home, ".config");
  return [path.join(xdg, "git", "config"), path.join(home, ".gitconfig")];
}

/** `key` without a subsection (`user.name`); files this process may not read count as absent. */
export function readGlobalConfig(key: string): string | undefined {
  let value: string | undefined;
  for (const file of globalConfigFiles()) {
    const text = readOptionalFile(file);
    if (text !== null) value = parseConfig(text).get(key.toLowerCase()) ?? value;
  }
  return value;
}

/** A minimal git-config parser: sections, subsections, quoted values, comments; no includes. */
export function parseConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  let section = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([^\]\s"]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (header) {
      // Section names are case-insensitive, subsection names are not.
      section = header[1].toLowerCase() + (header[2] !== undefined ? `.${header[2]}` : "");
      continue;
    }
    const entry = /^([A-Za-z][\w-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!entry || !section) continue;
    values.set(`${section}.${entry[1].toLowerCase()}`, entry[2] === undefined ? "true" : unquote(entry[2]));
  }
  return values;
}

// Strips an unquoted trailing comment and the quotes, and resolves \" \\ \n \t escapes.
function unquote(value: string): string {
  let out = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === "\\" && i + 1 < value.length) {
      const next = value[++i];
      out += next === "n" ? "\n" : next === "t" ? "\t" : next;
    } else if ((c === "#" || c === ";") && !quoted) break;
    else out += c;
  }
  return quoted ? out : out.trimEnd();
}
