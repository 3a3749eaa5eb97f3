// Runs the built CLI as a user would: a real process, real files, real exit codes.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = path.join(REPO, "dist/bin/cli.js");
export const DENO = path.join(REPO, "node_modules/.bin/deno");
export const EXAMPLES = path.join(REPO, "examples");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `milestone-machine ...args` to completion. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A fresh temp project directory with the given files (paths relative to it). */
export function makeProject(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-test-"));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

/**
 * A copy of the repository's examples/.milestones in a temp dir, so runs never touch the originals.
 * The milestone files only: a demo run in examples/ (`deno task demo`) leaves logs and sessions there,
 * which would turn a test's run into a resume of that one.
 */
export function copyExamples(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-examples-"));
  for (const entry of ["config.yaml", "active", "completed"]) {
    fs.cpSync(path.join(EXAMPLES, ".milestones", entry), path.join(dir, ".milestones", entry), { recursive: true });
  }
  return dir;
}

/** Parsed lines of a milestone's event log. */
export function readEvents(project: string, id: string): Array<{ seq: number; ts: string; event: string; data: Record<string, unknown> }> {
  const file = path.join(project, ".milestones/logs", `execution-${id}.jsonl`);
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

export { alive } from "./processes.ts";

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}
