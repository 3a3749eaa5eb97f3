// killGroup and groupAlive on a real process group, and their refusal to signal our own group.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { groupAlive, killGroup } from "../../src/exec/kill-group.ts";

describe("killGroup", () => {
  it("signals every process of a group, after which the group no longer runs", async () => {
    const child = spawn("sh", ["-c", "sleep 30 & sleep 30"], { detached: true, stdio: "ignore" });
    const pgid = child.pid!;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    expect(groupAlive(pgid)).toBe(true);
    expect(killGroup(pgid, "SIGKILL")).toBe(true);
    await exited;
    for (let i = 0; i < 200 && groupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 5));
    expect(groupAlive(pgid)).toBe(false);
  });

  it("returns false for a group whose processes have all exited and been reaped", async () => {
    const child = spawn("true", [], { detached: true, stdio: "ignore" });
    await new Promise((resolve) => child.once("exit", resolve));
    expect(killGroup(child.pid!, "SIGTERM")).toBe(false);
    expect(groupAlive(child.pid!)).toBe(false);
  });

  it("never signals pgid 0 or 1 (our own group, init)", () => {
    expect(killGroup(0, "SIGTERM")).toBe(false);
    expect(killGroup(1, "SIGTERM")).toBe(false);
    expect(groupAlive(0)).toBe(false);
  });
});
