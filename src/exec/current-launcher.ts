// Which launcher this process forks task groups with, and closing it at the end of a run.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { directLauncher } from "./direct-launcher.ts";
import type { Launcher } from "./launcher.ts";
import { FORK_HERE_FROM, SpawnerLauncher, type SpawnerProgram } from "./spawner-launcher.ts";

let launcher: Launcher | null = null;

/**
 * Node: a spawner process (spawner-launcher.ts says why), spawner.py if it can run here, else
 * spawner-main.js. Deno: in-process, since a helper would need permissions of its own.
 * In-process too when neither spawner is next to this module (running from source on a Node that
 * cannot run .ts and has no python3): correct, only slower.
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
  const programs = spawnerPrograms(process.env);
  return programs.length > 0 ? new SpawnerLauncher(programs) : directLauncher;
}

/**
 * The spawners to try, in order. spawner.py first on Linux: it exits at once where it cannot work
 * (no python3, one older than 3.8), and the launcher then moves on to spawner-main.js.
 * MM_SPAWNER=node skips it; MM_PYTHON names another interpreter than `python3` on the PATH.
 */
export function spawnerPrograms(env: NodeJS.ProcessEnv): SpawnerProgram[] {
  const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
  const programs: SpawnerProgram[] = [];
  const python = here("spawner.py");
  if (process.platform === "linux" && env.MM_SPAWNER !== "node" && fs.existsSync(python)) {
    // -I: none of the user's PYTHON* variables or site-packages; -S: no site module, which
    // halves the interpreter's start-up.
    programs.push({ file: env.MM_PYTHON || "python3", args: ["-I", "-S", python], forkHereFrom: Infinity });
  }
  const node = here("spawner-main.js");
  if (fs.existsSync(node)) programs.push({ file: process.execPath, args: [node], forkHereFrom: FORK_HERE_FROM });
  return programs;
}
