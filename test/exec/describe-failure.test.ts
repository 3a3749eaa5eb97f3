// One human line per way an attempt can end.
import { describe, expect, it } from "vitest";
import { describeFailure } from "../../src/exec/describe-failure.ts";

describe("describeFailure", () => {
  it("names the exit code, signal, deadline, verify and spawn failures", () => {
    expect(describeFailure({ ok: false, reason: "exit", exitCode: 3, signal: null })).toBe("exited with code 3");
    expect(describeFailure({ ok: false, reason: "exit", exitCode: null, signal: "SIGSEGV" })).toBe("was killed by SIGSEGV");
    expect(describeFailure({ ok: false, reason: "timeout", signal: "SIGTERM" })).toBe(
      "timed out after the deadline and was stopped (SIGTERM)",
    );
    expect(describeFailure({ ok: false, reason: "timeout", signal: null })).toBe("timed out after the deadline and was stopped");
    expect(describeFailure({ ok: false, reason: "stopped", signal: "SIGKILL" })).toBe("was stopped (SIGKILL)");
    expect(describeFailure({ ok: false, reason: "verify", exitCode: 1 })).toBe("verify command exited with code 1");
    expect(describeFailure({ ok: false, reason: "spawn", message: "could not start 'foo': not found" })).toBe(
      "could not start 'foo': not found",
    );
    expect(describeFailure({ ok: true, exitCode: 0 })).toBe("succeeded");
  });
});
