// The test-command probe: runs `checks.test` (e.g. `npm test`) the way a task runs (its own
// process group, SIGTERM → SIGKILL at the deadline, nothing of it left running afterwards) and
// turns a failure into a test_failed blocker that carries the end of its output.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describeFailure, startAttempt } from "../exec/index.ts";
import { duration } from "../ui/dashboard-render.ts";
import type { ProbeResult } from "./blocker.ts";
import { readTail } from "./read-tail.ts";

export interface TestCommandOptions {
  /** The command is stopped (and counts as failed) after this long. */
  timeoutMs: number;
  /** Overrides merged over the inherited environment. */
  env?: Record<string, string>;
  /** Where its stdout+stderr go (kept, and named in the fix); default a temp file, removed after. */
  logFile?: string;
  /** SIGTERM → SIGKILL grace at the timeout or on abort; default 5000. */
  killGraceMs?: number;
  /** Aborting stops the command (pause, shutdown); the result then has `stopped: true`, no blocker. */
  signal?: AbortSignal;
}

export interface TestCommandResult extends ProbeResult {
  ok: boolean;
  /** Exit code, or null if it was killed, timed out or never started. */
  code: number | null;
  timedOut: boolean;
  stopped: boolean;
  durationMs: number;
  /** The last lines of stdout+stderr, interleaved as written. */
  tail: string;
}

const TAIL = { maxBytes: 4096, maxLines: 20 };

/** Run `sh -c command` in projectDir; a non-zero exit or a timeout is a test_failed blocker. */
export async function probeTestCommand(projectDir: string, command: string, options: TestCommandOptions): Promise<TestCommandResult> {
  const startedAt = Date.now();
  let ownLog: string | null = null;
  try {
    if (options.logFile === undefined) ownLog = fs.mkdtempSync(path.join(os.tmpdir(), "mm-check-log-"));
  } catch (error) {
    const unavailable = `test probe unavailable: no temp dir for its output: ${(error as Error).message}`;
    return { ok: false, code: null, timedOut: false, stopped: false, durationMs: 0, tail: "", blockers: [], unavailable };
  }
  const logFile = options.logFile ?? path.join(ownLog!, "test.log");
  try {
    const attempt = startAttempt({
      command: { kind: "shell", script: command },
      verify: null,
      cwd: projectDir,
      env: options.env ?? {},
      logFile,
      deadline: startedAt + options.timeoutMs,
      killGraceMs: options.killGraceMs,
    });
    const onAbort = () => void attempt.stop();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    const result = await attempt.done;
    options.signal?.removeEventListener("abort", onAbort);
    const durationMs = Date.now() - startedAt;
    const tail = readTail(logFile, TAIL);
    const timedOut = !result.ok && result.reason === "timeout";
    const stopped = !result.ok && result.reason === "stopped";
    const code = result.ok ? 0 : result.reason === "exit" ? result.exitCode : null;
    if (result.ok || stopped) return { ok: result.ok, code, timedOut, stopped, durationMs, tail, blockers: [] };
    const limit = timedOut ? ` (limit ${duration(options.timeoutMs)})` : "";
    const seeLog = ownLog === null ? ` (full output: ${logFile})` : "";
    const blocker = {
      type: "test_failed" as const,
      detail: `test command '${command}' ${describeFailure(result)}${limit}${tail ? `:\n${tail}` : ""}`,
      fix: `make '${command}' pass in ${projectDir}${seeLog}, then resume`,
    };
    return { ok: false, code, timedOut, stopped, durationMs, tail, blockers: [blocker] };
  } finally {
    if (ownLog !== null) fs.rmSync(ownLog, { recursive: true, force: true });
  }
}
