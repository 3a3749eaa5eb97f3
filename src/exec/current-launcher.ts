// Which launcher this process forks task groups with, and closing it at the end of a run.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { directLauncher } from "./direct-launcher.ts";
import type { Launcher } from "./launcher.ts";
import { isGranted } from "../deno-permissions.ts";
import { FORK_HERE_FROM, SpawnerLauncher, type SpawnerProgram } from "./spawner-launcher.ts";

let launcher: Launcher | null = null;

/**
 * A spawner process (spawner-launcher.ts says why): spawner.py where python3 runs it, under Node
 * and Deno alike (Python needs no Deno permissions; Deno's --allow-run is unrestricted anyway),
 * else, under Node, spawner-main.js. Failing those, in-process: correct, only slower.
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

/**
 * MM_SPAWNER's value when it is not one this engine knows ("node"; unset or empty means the
 * default), so that a typo stops the run instead of being ignored; null otherwise, and under
 * Deno without --allow-env, where the variable cannot be read and so has no effect.
 */
export function unknownSpawnerSetting(env: NodeJS.ProcessEnv = process.env): string | null {
  if (!isGranted({ name: "env" })) return null;
  const value = env.MM_SPAWNER;
  return value === undefined || value === "" || value === "node" ? null : value;
}

function pick(): Launcher {
  const programs = spawnerPrograms(process.env);
  return programs.length > 0 ? new SpawnerLauncher(programs, directLauncher) : directLauncher;
}

/**
 * The spawners to try, in order. spawner.py first on Linux: it exits at once where it cannot work
 * (no python3, one older than 3.8), and the launcher then moves on to the next.
 * MM_SPAWNER=node skips it; MM_PYTHON names the one interpreter to try it with.
 */
function spawnerPrograms(env: NodeJS.ProcessEnv): SpawnerProgram[] {
  const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
  const deno = "Deno" in globalThis;
  const programs: SpawnerProgram[] = [];
  const python = here("spawner.py");
  // Under Deno, only Python reads the script (Deno may not be allowed to); tasks inherit the
  // environment through it, so it must be readable in full (checked before reading MM_*, which
  // a narrower --allow-env would refuse). Without --allow-run it is not tried: the first spawn here
  // reports the missing permission.
  const usable = deno ? isGranted({ name: "env" }) && isGranted({ name: "run" }) : fs.existsSync(python);
  if (process.platform === "linux" && usable && env.MM_SPAWNER !== "node") {
    for (const interpreter of pythonInterpreters(env)) programs.push(pythonSpawner(interpreter, python));
  }
  // spawner-main.js would need Deno permissions of its own: under Deno, the engine forks itself.
  const node = here("spawner-main.js");
  if (!deno && fs.existsSync(node)) programs.push(nodeSpawner(node));
  return programs;
}

/**
 * The interpreters spawner.py is tried with: MM_PYTHON alone when set, else the system's
 * /usr/bin/python3 before the PATH's python3. Which Python runs the spawner is invisible to tasks
 * (they get the engine's environment), but the PATH's is often a pyenv or asdf shim: a shell
 * script that takes ~60 ms of CPU before Python starts, on the way to the first task and
 * competing with the engine's own start-up (a: 1,376 against 1,297 ms, 9 alternating runs each).
 * One that is missing or too old costs a failed start before the next is tried.
 */
function pythonInterpreters(env: NodeJS.ProcessEnv): string[] {
  return env.MM_PYTHON ? [env.MM_PYTHON] : [SYSTEM_PYTHON, "python3"];
}

const SYSTEM_PYTHON = "/usr/bin/python3";

/** spawner.py at `script`, run by `interpreter`. */
export function pythonSpawner(interpreter: string, script: string): SpawnerProgram {
  // -I: none of the user's PYTHON* variables or site-packages; -S: no site module, which halves
  // the interpreter's start-up. It starts tasks faster than this process could: never fork here.
  return { file: interpreter, args: ["-I", "-S", script], forkHereFrom: Infinity };
}

/** spawner-main.js at `script`, run by this process's Node. */
export function nodeSpawner(script: string): SpawnerProgram {
  return { file: process.execPath, args: [script], forkHereFrom: FORK_HERE_FROM };
}
