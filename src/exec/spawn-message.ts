// One line saying why a program could not be started, naming the program or directory.
import fs from "node:fs";

/** Explain a spawn failure of `file` in `cwd`, e.g. "could not start 'claude': not found". */
export function spawnMessage(file: string, cwd: string, error: NodeJS.ErrnoException): string {
  // Node and Deno both report a missing cwd as ENOENT of the program, which would send the
  // user looking for the wrong thing; this check runs only on the failure path.
  if (error.code === "ENOENT" && !fs.existsSync(cwd)) {
    return `could not start '${file}': working directory '${cwd}' does not exist`;
  }
  if (error.code === "ENOENT") return `could not start '${file}': not found`;
  if (error.code === "EACCES") return `could not start '${file}': permission denied`;
  return `could not start '${file}': ${error.message}`;
}
