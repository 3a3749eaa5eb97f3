// Which launcher this process forks task groups with, and closing it at the end of a run.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { directLauncher } from "./direct-launcher.ts";
import type { Launcher } from "./launcher.ts";
import { SpawnerLauncher } from "./spawner-launcher.ts";

let launcher: Launcher | null = null;

/**
 * Node: the spawner process (spawner-launcher.ts says why). Deno: in-process, since a helper
 * would need permissions of its own. Also in-process when there is no built spawner next to this
 * module, i.e. running from source on a Node that cannot run .ts: correct, only slower.
 */
export function currentLauncher(): Launcher {
  return (launcher ??= pick());
}

/** Start the spawner ahead of the first task, e.g. while the run is being set up. */
export function warmUpLauncher(): void {
  currentLauncher().warmUp?.();
}

/** Let the spawner exit, once no attempt is running (the end of a run); a later attempt starts a new one. */
export function closeLauncher(): void {
  if (launcher instanceof SpawnerLauncher) launcher.close();
}

function pick(): Launcher {
  if ("Deno" in globalThis) return directLauncher;
  const script = fileURLToPath(new URL("./spawner-main.js", import.meta.url));
  return fs.existsSync(script) ? new SpawnerLauncher(script) : directLauncher;
}
