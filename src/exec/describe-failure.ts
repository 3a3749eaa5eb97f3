// One human line for how an attempt ended, for the dashboard, the event log and blockers.
import type { AttemptResult } from "./attempt-types.ts";

/** E.g. "exited with code 3", "timed out after the deadline and was stopped (SIGTERM)". */
export function describeFailure(result: AttemptResult): string {
  if (result.ok) return "succeeded";
  switch (result.reason) {
    case "exit":
      return result.signal !== null ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    case "timeout":
      return `timed out after the deadline and was stopped${result.signal !== null ? ` (${result.signal})` : ""}`;
    case "stopped":
      return `was stopped${result.signal !== null ? ` (${result.signal})` : ""}`;
    case "verify":
      return result.exitCode !== null
        ? `verify command exited with code ${result.exitCode}`
        : "verify command was killed by a signal";
    case "spawn":
      return result.message;
  }
}
