// `notify.command` in config.yaml: told when a milestone blocks, with the blockers as JSON on
// stdin, so a person hears about it (a chat hook, a mail, a desktop notification). A notifier
// that fails or hangs is reported, never fatal: the blockers are already on disk.
import { spawn } from "node:child_process";

const NOTIFY_TIMEOUT_MS = 10_000;

export interface BlockedNotice {
  milestone: string;
  status: "blocked";
  blockers: Array<{ type: string; detail: string; task: string | null; detected_at: string | null }>;
  resume: string;
}

/** Runs the command; resolves with an error message, or null when it exited 0. */
export function notifyBlocked(argv: string[], cwd: string, notice: BlockedNotice): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, stdio: ["pipe", "ignore", "inherit"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), NOTIFY_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve(`could not start '${argv[0]}': ${error.message}`);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? null : signal ? `was stopped by ${signal}` : `exited with code ${code}`);
    });
    child.stdin.on("error", () => {}); // a notifier that ignores its input is fine
    child.stdin.end(`${JSON.stringify(notice)}\n`);
  });
}
