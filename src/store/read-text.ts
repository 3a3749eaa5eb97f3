// A file's text, or null when it cannot be read (gone, a folder, no permission): for readers
// that treat "not there" and "not readable" alike.
import fs from "node:fs";

export function readTextOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
