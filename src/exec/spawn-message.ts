// One line saying why a program could not be started or followed, naming the program or directory.
import fs from "node:fs";
import type { LaunchError } from "./launcher.ts";

/**
 * Explain a launch failure of `file` in `cwd`, e.g. "could not start 'claude': not found".
 * `what` names the thing for errors before exec, e.g. "could not start the verify command".
 */
export function spawnMessage(file: string, cwd: string, error: LaunchError, what = `could not start '${file}'`): string {
  if (error.phase === "setup") return `${what}: ${error.message}`;
  if (error.phase === "lost") return `lost track of '${file}' while it ran, so its process group was killed: ${error.message}`;
  // Node and Deno both report a missing cwd as ENOENT of the program, which would send the
  // user looking for the wrong thing; this check runs only on the failure path.
  if (error.code === "ENOENT" && !fs.existsSync(cwd)) {
    return `could not start '${file}': working directory '${cwd}' does not exist`;
  }
  if (error.code === "ENOENT") return `could not start '${file}': not found`;
  if (error.code === "EACCES") return `could not start '${file}': permission denied`;
  return `could not start '${file}': ${error.message}`;
}
