// What is particular to forking through a spawner process (Node), for each of its two programs:
// tasks are its children, a spawner that dies fails its attempts cleanly and is replaced, one that
// is stopped delays the pid without breaking stop(), and it never outlives the engine nor takes
// the tasks with it. Then what differs between them: which program runs when, and that tasks get
// the same environment and signal dispositions from both.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttemptSpec } from "../../src/exec/attempt-types.ts";
import { groupAlive, killGroup } from "../../src/exec/kill-group.ts";
import { startAttempt } from "../../src/exec/run-attempt.ts";
import { directLauncher } from "../../src/exec/direct-launcher.ts";
import { SpawnerLauncher } from "../../src/exec/spawner-launcher.ts";
import { builtSpawner, PYTHON_SPAWNER, SPAWNER_KINDS, spawnerProgram, type SpawnerKind } from "./fixtures/built-spawner.ts";
import { alive as running, PARENT_COMMAND_LINE, readWhenWritten } from "../helpers/processes.ts";

const LEAVER = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/start-and-leave.mjs");
const WARMER = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures/warm-up-and-leave.mjs");

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-spawner-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

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
async function spawnerPid(spawner: SpawnerLauncher): Promise<number> {
  const file = path.join(dir, `ppid-${Math.random()}`);
  expect(await startAttempt(spec(`echo $PPID > ${file}`), spawner).done).toEqual({ ok: true, exitCode: 0 });
  return Number(fs.readFileSync(file, "utf8"));
}

describe.each(SPAWNER_KINDS)("the spawner (%s)", (kind: SpawnerKind) => {
  const spawner = builtSpawner(kind);
  afterAll(() => spawner.close());
  const program = JSON.stringify(spawnerProgram(kind));

  it("starts the task as its own child and reports the task's pid", async () => {
    const out = path.join(dir, "ids");
    const attempt = startAttempt(spec(`echo $$ $PPID > ${out}`), spawner);
    const started = await attempt.started;
    await attempt.done;
    const [pid, parent] = fs.readFileSync(out, "utf8").trim().split(" ").map(Number);
    expect(started).toEqual({ pid, pgid: pid });
    expect(parent).not.toBe(process.pid);
    expect(parent).toBe(await spawnerPid(spawner));
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
    const next = await spawnerPid(spawner);
    expect(next).not.toBe(helper);
  });

  it("when killed before answering, fails the attempt as not started", async () => {
    const helper = await spawnerPid(spawner);
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
    const helper = await spawnerPid(spawner);
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
    const helper = await spawnerPid(spawner);
    process.kill(helper, "SIGSTOP");
    const attempt = startAttempt(spec("sleep 30", { deadline: Date.now() + 20 }), spawner);
    await new Promise((r) => setTimeout(r, 100));
    process.kill(helper, "SIGCONT");
    const pgid = (await attempt.started)!.pgid;
    expect(await attempt.done).toEqual({ ok: false, reason: "timeout", signal: "SIGTERM" });
    expect(groupAlive(pgid)).toBe(false);
  });

  it.skipIf(!fs.existsSync("/proc/self/stat"))("started ahead of any task, keeps nobody alive and leaves with the engine", async () => {
    const engine = spawn(process.execPath, [WARMER, program], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    engine.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    const code = await new Promise((r) => engine.once("exit", r));
    expect(code).toBe(0);
    const helper = Number(out.trim());
    expect(helper).toBeGreaterThan(0);
    expect(await until(() => !running(helper), 1000)).toBe(true);
  });

  it.skipIf(os.availableParallelism() < 2)("gets a second spawner while the first is busy, used once it is up; one task at a time keeps one", async () => {
    const first = await spawnerPid(spawner);
    expect(await spawnerPid(spawner)).toBe(first);
    // A busy spawner: the next request still goes to it (the second is only starting)…
    const release = path.join(dir, "release");
    const waitFor = `while [ ! -e ${release} ]; do sleep 0.02; done`;
    const busy = [1, 2].map((n) => startAttempt(spec(`echo $PPID > ${dir}/busy${n}; ${waitFor}`), spawner));
    const busyParents = await Promise.all([1, 2].map((n) => readWhenWritten(path.join(dir, `busy${n}`)).then(Number)));
    expect(busyParents).toEqual([first, first]);
    // …and once the second is up, it takes the next one.
    let second = first;
    for (const end = Date.now() + 5000; second === first && Date.now() < end; ) second = await spawnerPid(spawner);
    expect(second).not.toBe(first);
    expect(running(second)).toBe(true);
    fs.writeFileSync(release, "");
    for (const attempt of busy) expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
  });

  it.runIf(kind === "node")("forks part of a burst of requests in this process, side by side with the spawners; a request at a time always goes to a spawner", async () => {
    const attempts = Array.from({ length: 8 }, (_, n) => startAttempt(spec(`echo $PPID > ${dir}/burst${n}`), spawner));
    for (const attempt of attempts) expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
    const parents = Array.from({ length: 8 }, (_, n) => Number(fs.readFileSync(path.join(dir, `burst${n}`), "utf8")));
    // The first requests queue at the spawners; once one has two waiting, every other one is
    // forked here (how many depends on how many spawners are up: one or two).
    const here = parents.filter((p) => p === process.pid).length;
    expect(here).toBeGreaterThanOrEqual(2);
    expect(here).toBeLessThanOrEqual(3);
    expect(parents[0]).not.toBe(process.pid);
    for (let n = 0; n < 3; n++) expect(await spawnerPid(spawner)).not.toBe(process.pid);
  });

  it("refuses a request it cannot start, such as a NUL byte in a variable, and goes on serving", async () => {
    const before = await spawnerPid(spawner);
    const refused = await startAttempt(spec("true", { env: { BAD: "a\0b" } }), spawner).done;
    expect(refused).toMatchObject({ ok: false, reason: "spawn" });
    expect((refused as { message: string }).message).toMatch(/^could not start 'sh': .*null byte/);
    expect(await spawnerPid(spawner)).toBe(before);
  });

  it("finds the program on the task's PATH, a relative entry in the task's directory, as Node does", async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "mm-spawner-elsewhere-"));
    try {
      // A first task elsewhere, so that a spawner that changes directory has changed it.
      expect(await startAttempt(spec("true", { cwd: elsewhere }), spawner).done).toEqual({ ok: true, exitCode: 0 });
      fs.mkdirSync(path.join(dir, "tools"));
      fs.writeFileSync(path.join(dir, "tools/mm-tool"), `#!/bin/sh\necho "tool in $PWD"\n`, { mode: 0o755 });
      const agent = { kind: "agent" as const, argv: ["mm-tool"] };
      const env = { PATH: `tools:${process.env.PATH}` };
      expect(await startAttempt({ ...spec(""), command: agent, env }, spawner).done).toEqual({ ok: true, exitCode: 0 });
      expect(fs.readFileSync(path.join(dir, "t.log"), "utf8")).toBe(`tool in ${dir}\n`);
      const missing = await startAttempt({ ...spec(""), command: { kind: "agent", argv: ["mm-no-such-tool"] }, env }, spawner).done;
      expect(missing).toEqual({ ok: false, reason: "spawn", message: "could not start 'mm-no-such-tool': not found" });
      // Found, but not executable: the search goes on, and with nothing after it fails as denied.
      fs.writeFileSync(path.join(dir, "tools/mm-not-runnable"), "#!/bin/sh\n", { mode: 0o644 });
      const denied = await startAttempt({ ...spec(""), command: { kind: "agent", argv: ["mm-not-runnable"] }, env }, spawner).done;
      expect(denied).toEqual({ ok: false, reason: "spawn", message: "could not start 'mm-not-runnable': permission denied" });
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it.runIf(kind === "python")("starts every request of a burst itself: it forks faster than this process could", async () => {
    const attempts = Array.from({ length: 8 }, (_, n) => startAttempt(spec(`echo $PPID > ${dir}/burst${n}`), spawner));
    for (const attempt of attempts) expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
    const parents = Array.from({ length: 8 }, (_, n) => Number(fs.readFileSync(path.join(dir, `burst${n}`), "utf8")));
    expect(parents.filter((p) => p === process.pid)).toEqual([]);
  });

  it.each(["exit", "hang"])("is gone within a second of the engine leaving (%s), and leaves the task running", async (how) => {
    const engine = spawn(process.execPath, [LEAVER, dir, how, program], { stdio: ["ignore", "pipe", "inherit"] });
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

// The command line of the process that started the task writing `file`.
function parentCommand(file: string): string {
  return fs.readFileSync(file, "utf8").trim();
}

// The shell's own blocked and ignored signal masks, read by the shell itself: a `grep` it forks
// could catch it inside its fork, where dash blocks every signal for a moment.
const SIGNAL_MASKS = "while read -r key value; do case $key in SigBlk:|SigIgn:) echo \"$key $value\";; esac; done < /proc/$$/status";

describe.runIf(PYTHON_SPAWNER)("which spawner runs", () => {
  const node = spawnerProgram("node");
  const python = spawnerProgram("python");

  it.each([
    ["is not there", { ...python, file: path.join(os.tmpdir(), "no-such-python3") }],
    ["exits before it is ready (too old a Python)", { ...python, file: "sh", args: ["-c", "exit 3"] }],
  ])("when the first program %s, the next one takes over, with the requests made meanwhile", async (_, first) => {
    const spawner = new SpawnerLauncher([first, node]);
    try {
      const attempts = [0, 1, 2].map((n) => startAttempt(spec(`${PARENT_COMMAND_LINE} > ${dir}/parent${n}`), spawner));
      for (const attempt of attempts) expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
      for (const n of [0, 1, 2]) expect(parentCommand(path.join(dir, `parent${n}`))).toContain("spawner-main.js");
      expect(spawner.program).toBe(node);
    } finally {
      spawner.close();
    }
  });

  it("when the first program neither gets ready nor exits, it is killed after the timeout and the next one takes over", async () => {
    const silent = { ...python, file: "sleep", args: ["30"] };
    const spawner = new SpawnerLauncher([silent, node], null, 300);
    try {
      const attempt = startAttempt(spec(`${PARENT_COMMAND_LINE} > ${dir}/parent`), spawner);
      expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
      expect(parentCommand(path.join(dir, "parent"))).toContain("spawner-main.js");
      expect(spawner.program).toBe(node);
    } finally {
      spawner.close();
    }
  });

  it("when the last program cannot start either, this process forks the tasks itself", async () => {
    const spawner = new SpawnerLauncher([{ ...python, file: path.join(os.tmpdir(), "no-such-python3") }], directLauncher);
    try {
      const attempts = [0, 1].map((n) => startAttempt(spec(`echo $PPID > ${dir}/parent${n}`), spawner));
      for (const attempt of attempts) expect(await attempt.done).toEqual({ ok: true, exitCode: 0 });
      for (const n of [0, 1]) expect(Number(fs.readFileSync(path.join(dir, `parent${n}`), "utf8"))).toBe(process.pid);
      expect(spawner.program).toBeNull();
    } finally {
      spawner.close();
    }
  });

  it("spawner.py reports exits even when started with signals blocked, and tasks start with none blocked", async () => {
    // What it inherits when started from a Node worker thread, which blocks every signal.
    const blocked = `import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals()); os.execv(sys.executable, [sys.executable] + sys.argv[1:])`;
    const spawner = new SpawnerLauncher([{ ...python, args: ["-c", blocked, ...python.args] }]);
    try {
      const attempt = startAttempt(spec(`${SIGNAL_MASKS} > ${dir}/mask`), spawner);
      const late = new Promise((r) => setTimeout(() => r("no exit reported"), 5000));
      expect(await Promise.race([attempt.done, late])).toEqual({ ok: true, exitCode: 0 });
      expect(fs.readFileSync(path.join(dir, "mask"), "utf8")).toContain("SigBlk: 0000000000000000\n");
    } finally {
      spawner.close();
    }
  });

  it("a working first program is kept", async () => {
    const spawner = new SpawnerLauncher([python, node]);
    try {
      expect(await startAttempt(spec(`${PARENT_COMMAND_LINE} > ${dir}/parent`), spawner).done).toEqual({ ok: true, exitCode: 0 });
      expect(parentCommand(path.join(dir, "parent"))).toContain("spawner.py");
    } finally {
      spawner.close();
    }
  });

  it("tasks get this process's environment and default signal dispositions from either, even through a shim that edits them", async () => {
    // What pyenv's or asdf's python3 shim does before it runs the real interpreter.
    const shim = path.join(dir, "python3-shim");
    fs.writeFileSync(shim, `#!/bin/sh\nPATH="/shim/bin:$PATH" SHIM_ONLY=1 exec python3 "$@"\n`, { mode: 0o755 });
    const report = `echo "$PATH"; echo "\${SHIM_ONLY-unset} $OVERRIDE"; ${SIGNAL_MASKS}`;
    const seen = async (program: typeof node) => {
      const spawner = new SpawnerLauncher([program]);
      try {
        const log = path.join(dir, `${Math.random()}.log`);
        expect(await startAttempt(spec(report, { env: { OVERRIDE: "over" }, logFile: log }), spawner).done).toEqual({ ok: true, exitCode: 0 });
        return fs.readFileSync(log, "utf8").trim().split("\n");
      } finally {
        spawner.close();
      }
    };
    const [fromShim, fromNode] = [await seen({ ...python, file: shim }), await seen(node)];
    expect(fromShim[0]).toBe(process.env.PATH);
    expect(fromShim[1]).toBe("unset over");
    expect(fromShim.slice(0, 2)).toEqual(fromNode.slice(0, 2));
    const mask = (lines: string[], name: string) => BigInt(`0x${lines.find((l) => l.startsWith(name))!.split(/\s+/)[1]}`);
    // Nothing blocked, so a timeout's SIGTERM is never held up.
    expect(mask(fromShim, "SigBlk:")).toBe(0n);
    expect(mask(fromNode, "SigBlk:")).toBe(0n);
    // Python ignores SIGPIPE and SIGXFSZ itself; its tasks must not. (glibc's posix_spawn leaves
    // its two internal signals, 32 and 33, ignored: no program relies on their default.)
    const internal = (1n << 31n) | (1n << 32n);
    expect(mask(fromShim, "SigIgn:") & ~internal).toBe(0n);
    expect(mask(fromNode, "SigIgn:")).toBe(0n);
  });
});
