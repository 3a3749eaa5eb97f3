// Issue 19, item 1: a dead executor's lock is taken over by exactly one of several executors
// started at the same instant; the others refuse with exit 5 and run nothing.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, makeProject, readEvents } from "../helpers/cli.ts";

const run = (project: string) =>
  new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, "execute", "m", "--cwd", project], { stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
  });

describe("the executor lock", () => {
  it("of a dead executor is taken over by exactly one of four executors started at once (12 trials)", async () => {
    const dead = spawnSync("true").pid!;
    for (let trial = 0; trial < 12; trial++) {
      const project = makeProject({ ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: t, title: T, run: 'echo $MM_SESSION >> \"$MM_PROJECT/ledger\"; sleep 0.3' }\n" });
      const lock = path.join(project, ".milestones/sessions/m.lock");
      fs.mkdirSync(path.dirname(lock), { recursive: true });
      const then = new Date(Date.now() - 60_000).toISOString();
      fs.writeFileSync(lock, JSON.stringify({ pid: dead, host: os.hostname(), session_id: "20260101T000000-dead00", started_at: then, heartbeat: then }));
      const runs = await Promise.all([run(project), run(project), run(project), run(project)]);
      const codes = runs.map((r) => r.code).join(",");
      const ledger = fs.readFileSync(path.join(project, "ledger"), "utf8").trim().split("\n");
      expect(ledger, `trial ${trial}: codes ${codes}`).toHaveLength(1);
      // One executor ran the task; the others were refused (5), or came after it and found
      // nothing left to run (0, on a loaded machine): never two at once, so the log's seqs never
      // repeat and the task was started once.
      const events = readEvents(project, "m");
      expect(events.filter((e) => e.event === "task_started"), `trial ${trial}: codes ${codes}`).toHaveLength(1);
      expect(events.map((e) => e.seq), `trial ${trial}`).toEqual(events.map((_, i) => i + 1));
      for (const r of runs) expect([0, 5], `trial ${trial}: codes ${codes}`).toContain(r.code);
      fs.rmSync(project, { recursive: true, force: true });
    }
  }, 120_000);
});
