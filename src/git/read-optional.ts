// Reads a file that may legitimately be absent or out of reach: the user's global git config and
// excludes file. Under Deno with --allow-read narrowed to the project (DESIGN §8) they are not
// readable, and a commit must still work: such files count as absent, like missing ones.
import fs from "node:fs";

const ABSENT = new Set(["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM"]);
const DENIED = new Set(["NotCapable", "PermissionDenied"]);

export function readOptionalFile(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const { code, name } = error as { code?: string; name?: string };
    if ((code && ABSENT.has(code)) || (name && DENIED.has(name))) return null;
    throw error;
  }
}
