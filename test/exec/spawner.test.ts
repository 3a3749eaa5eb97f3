// What is particular to forking through the spawner process (Node): tasks are its children, a
// spawner that dies fails its attempts cleanly and is replaced, one that is stopped delays the
// pid without breaking stop(), and it never outlives the engine nor takes the tasks with it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttemptSpec } from "../../src/exec/attempt-types.ts";
import { groupAlive, killGroup } from "../../src/exec/kill-group.ts";
import { startAttempt } from "../../src/exec/run-attempt.ts";
import { builtSpawner } from "./fixtures/built-spawner.ts";
import { alive as running, readWhenWritten } from "../helpers/processes.ts";

const LEAVER = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/start-and-leave.mjs");
const WARMER = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/warm-up-and-leave.mjs");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-spawner-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
const spawner = builtSpawner();
afterAll(() => spawner.close());

function spec(script: string, over: Partial<AttemptSpec> = {}): AttemptSpec {
  return { command: { kind: "shell", script }, verify: null, cwd: dir, env: {}, logFile: path.join(dir, "t.log"), deadline: null, ...over };
}



async function until(condition: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) {
    if (condition()) return true;
  }
  return condition();
}

// The spawner's pid, as the parent of a task it started.
async function spawnerPid(): Promise<number> {
  const file = path.join(dir, `ppid-${Math.random()}`);
  expect(await startAttempt(spec(`echo $PPID > ${file}`), spawner).done).toEqual({ ok: true, exitCode: 0 });
  return Number(fs.readFileSync(file, "utf8"));
}

describe("the spawner", () => {
  it("starts the task as its own child and reports the task's pid", async () => {
    const out = path.join(dir, "ids");
    const attempt = startAttempt(spec(`echo $$ $PPID > ${out}`), spawner);
    const started = await attempt.started;
    await attempt.done;
    const [pid, parent] = fs.readFileSync(out, "utf8").trim().split(" ").map(Number);
    expect(started).toEqual({ pid, pgid: pid });
    expect(parent).not.toBe(process.pid);
    expect(parent).toBe(await spawnerPid());
  });

  it("when killed, fails the running attempt, kills its group, and is replaced for the next one", async () => {
    const ids = path.join(dir, "ids");
    const attempt = startAttempt(spec(`sleep 30 & echo $! $PPID > ${ids}; wait`), spawner);
    const pgid = (await attempt.started)!.pgid;
    const [grandchild, helper] = (await readWhenWritten(ids)).split(" ").map(Number);
    process.kill(helper, "SIGKILL");
    expect(await attempt.done).toEqual({
      ok: false,
      reason: "spawn",
      message: `lost track of 'sh' while it ran, so its process group was killed: the spawner process (pid ${helper}) was killed by SIGKILL`,
    });
    expect(groupAlive(pgid)).toBe(false);
    expect(running(grandchild)).toBe(false);
    const next = await spawnerPid();
    expect(next).not.toBe(helper);
  });

  it("when killed before answering, fails the attempt as not started", async () => {
    const helper = await spawnerPid();
    process.kill(helper, "SIGSTOP");
    const attempt = startAttempt(spec("true"), spawner);
    process.kill(helper, "SIGKILL");
    expect(await attempt.started).toBeNull();
    expect(await attempt.done).toEqual({
      ok: false,
      reason: "spawn",
      message: `could not start 'sh': the spawner process (pid ${helper}) was killed by SIGKILL`,
    });
  });

  it("a stop() while the spawner is slow to answer kills the group as soon as its pid arrives", async () => {
    const helper = await spawnerPid();
    process.kill(helper, "SIGSTOP");
    const attempt = startAttempt(spec("sleep 30"), spawner);
    const stopping = attempt.stop(200);
    await new Promise((r) => setTimeout(r, 50));
    process.kill(helper, "SIGCONT");
    const pgid = (await attempt.started)!.pgid;
    await stopping;
    expect(await attempt.done).toEqual({ ok: false, reason: "stopped", signal: "SIGTERM" });
    expect(groupAlive(pgid)).toBe(false);
  });

  it("a deadline that passes while the spawner is slow to answer kills the group once it runs", async () => {
    const helper = await spawnerPid();
    process.kill(helper, "SIGSTOP");
    const attempt = startAttempt(spec("sleep 30", { deadline: Date.now() + 20 }), spawner);
    await new Promise((r) => setTimeout(r, 100));
    process.kill(helper, "SIGCONT");
    const pgid = (await attempt.started)!.pgid;
    expect(await attempt.done).toEqual({ ok: false, reason: "timeout", signal: "SIGTERM" });
    expect(groupAlive(pgid)).toBe(false);
  });

  it.skipIf(!fs.existsSync("/proc/self/stat"))("started ahead of any task, keeps nobody alive and leaves with the engine", async () => {
    const engine = spawn(process.execPath, [WARMER], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    engine.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    const code = await new Promise((r) => engine.once("exit", r));
    expect(code).toBe(0);
    const helper = Number(out.trim());
    expect(helper).toBeGreaterThan(0);
    expect(await until(() => !running(helper), 1000)).toBe(true);
  });

  it.skipIf(os.availableParallelism() < 2)("gets a second spawner while the first is busy, used once it is up; one task at a time keeps one", async () => {
    const first = await spawnerPid();
    expect(await spawnerPid()).toBe(first);
    // A busy spawner: the next request still goes to it (the second is only starting)…
    const release = path.join(dir, "release");
    const waitFor = `while [ ! -e ${release} ]; do sleep 0.02; done`;
    const busy = [1, 2].map((n) => startAttempt(spec(`echo $PPID > ${dir}/busy${n}; ${waitFor}`), spawner));
    const busyParents = await Promise.all([1, 2].map((n) => readWhenWritten(path.join(dir, `busy${n}`)).then(Number)));
    expect(busyParents).toEqual([first, first]);
    // …and once the second is up, it takes the next one.
    let second = first;
    for (const end = Date.now() + 5000; second === first && Date.now() < end; ) second = await spawnerPid();
    expect(second).not.toBe(first);
    expect(running(second)).toBe(true);
    fs.writeFileSync(release, "");
    for (const attempt of busy) expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
  });

  it("forks part of a burst of requests in this process, side by side with the spawners; a request at a time always goes to a spawner", async () => {
    const attempts = Array.from({ length: 8 }, (_, n) => startAttempt(spec(`echo $PPID > ${dir}/burst${n}`), spawner));
    for (const attempt of attempts) expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
    const parents = Array.from({ length: 8 }, (_, n) => Number(fs.readFileSync(path.join(dir, `burst${n}`), "utf8")));
    // The first requests queue at the spawners; once one has two waiting, every other one is
    // forked here (how many depends on how many spawners are up: one or two).
    const here = parents.filter((p) => p === process.pid).length;
    expect(here).toBeGreaterThanOrEqual(2);
    expect(here).toBeLessThanOrEqual(3);
    expect(parents[0]).not.toBe(process.pid);
    for (let n = 0; n < 3; n++) expect(await spawnerPid()).not.toBe(process.pid);
  });

  it.each(["exit", "hang"])("is gone within a second of the engine leaving (%s), and leaves the task running", async (how) => {
    const engine = spawn(process.execPath, [LEAVER, dir, how], { stdio: ["ignore", "pipe", "inherit"] });
    // Listened for at once: with `exit` the engine may be gone before the pid is even read.
    const exited = new Promise((r) => engine.once("exit", r));
    let out = "";
    engine.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    const helper = Number(await readWhenWritten(path.join(dir, "spawner.pid")));
    await until(() => out.includes("\n"), 5000);
    const { pgid } = JSON.parse(out);
    try {
      if (how === "hang") engine.kill("SIGKILL");
      await exited;
      expect(await until(() => !running(helper), 1000)).toBe(true);
      expect(groupAlive(pgid)).toBe(true);
    } finally {
      killGroup(pgid, "SIGKILL");
    }
  });
});
