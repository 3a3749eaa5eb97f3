// Node: task processes are forked by a small helper process, the spawner, not by the engine.
// fork() copies the forking process's page tables, so its cost grows with that process's memory;
// the engine's heap (the milestone, the actors, their snapshots) made each spawn two to four times
// as slow as from a bare Node process, and spawning was most of the engine's time. The spawner
// stays small, so every fork stays cheap. Two programs speak its protocol (spawner-protocol.ts):
// spawner.py, which starts tasks with posix_spawn at a third of Node's cost, and spawner-main.ts;
// current-launcher.ts says which runs where.
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import type { Socket } from "node:net";
import type { LaunchError, Launched, Launcher, LaunchRequest, LeaderExit } from "./launcher.ts";
import type { SpawnerInit, SpawnerReply } from "./spawner-protocol.ts";
import { directLauncher } from "./direct-launcher.ts";

/** A program that speaks the spawner protocol, and how it compares with forking here. */
export interface SpawnerProgram {
  file: string;
  args: string[];
  /**
   * Once one of its spawners has this many requests not yet forked, every other request is
   * forked in the engine instead (see FORK_HERE_FROM); Infinity when it forks faster than the
   * engine can.
   */
  forkHereFrom: number;
}

interface Pending {
  request: LaunchRequest;
  pidKnown: boolean;
  settlePid(pid: number | null): void;
  settleExit(exit: LeaderExit): void;
}

// One spawner process and the requests it has not finished answering.
interface Helper {
  program: SpawnerProgram;
  process: ChildProcess;
  /** Its end has been handled ('error' and 'close' may both come). */
  gone: boolean;
  pending: Map<number, Pending>;
  nextId: number;
  /** Requests it has not answered with a pid (or a failure) yet: forks waiting or under way. */
  unforked: number;
  /** Its Node has started and reads requests (it said so); until then it only gets requests
   *  when no helper is ready. */
  ready: boolean;
}

// Up to two spawners: a fork takes about a millisecond of one core, so with two tasks or more
// in flight one spawner is often busy forking while the next request waits. A second one is
// started only when every ready spawner is busy, and gets requests once its Node is up, so a
// run of one task at a time, or the first tasks of a run, never wait for a second Node to start.
const MAX_HELPERS = Math.min(2, availableParallelism());

// Many tasks starting at once (a wide milestone's first wave) are requested in one go, before any
// reply can be read: a Node spawner forks them one after the other. Once it has this many forks
// waiting, every other request is forked right here instead, so this process and the spawner
// fork side by side (100 tasks of `sleep 1` at once: 1,403 -> 1,378 ms). Runs of one or two tasks
// at a time never queue that deep, so this process, busy with the engine, does not fork for them.
export const FORK_HERE_FROM = 2;

// A program that has never had a spawner ready gets this long to say so (Python takes 20-80 ms,
// a loaded machine more); one that neither answers nor exits (a `python3` that is not Python,
// waiting on its stdin) is killed and treated as unusable. A program that once worked waits.
const READY_TIMEOUT_MS = 10_000;

export class SpawnerLauncher implements Launcher {
  #helpers: Helper[] = [];
  #forkedHere = false;
  /** Programs still to use, the current one first; empty once `fallback` launches everything. */
  readonly #programs: SpawnerProgram[];
  /** Programs that have had a spawner ready: one of theirs dying early is not their fault. */
  readonly #worked = new Set<SpawnerProgram>();

  /**
   * `programs`: in order of preference. When a spawner exits before it is ready (no usable
   * python3, say), or is not ready within `readyTimeoutMs`, the next program replaces its program
   * for good and gets its requests, none of which it can have started; after the last one,
   * `fallback` if given (forking here).
   */
  constructor(
    programs: SpawnerProgram[],
    private readonly fallback: Launcher | null = null,
    private readonly readyTimeoutMs = READY_TIMEOUT_MS,
  ) {
    if (programs.length === 0) throw new Error("SpawnerLauncher needs at least one program");
    this.#programs = [...programs];
  }

  /** The program spawners are started with now; null once the fallback has taken over. */
  get program(): SpawnerProgram | null {
    return this.#programs[0] ?? null;
  }

  launch(request: LaunchRequest): Launched {
    if (this.#programs.length === 0) return this.fallback!.launch(request);
    const helper = this.#pick();
    this.#forkedHere = helper.unforked >= this.#programs[0]!.forkHereFrom && !this.#forkedHere;
    if (this.#forkedHere) return directLauncher.launch(request);
    const entry = { request, pidKnown: false } as Pending;
    const pid = new Promise<number | null>((resolve) => (entry.settlePid = resolve));
    const exit = new Promise<LeaderExit>((resolve) => (entry.settleExit = resolve));
    send(helper, entry);
    return { pid, exit };
  }

  /** Start the spawner now, so that its start-up (a Python or Node process) overlaps the
   *  caller's own instead of delaying the first launch. It does not keep this process alive. */
  warmUp(): void {
    if (this.#helpers.length === 0 && this.#programs.length > 0) this.#start();
  }

  /** Let the spawners exit; a later launch starts a new one. Tasks still running are not touched. */
  close(): void {
    for (const helper of this.#helpers.splice(0)) {
      helper.process.stdin!.end();
      hold(helper, false);
    }
  }

  // The ready spawner with the fewest requests in flight (the first on a tie). When every ready
  // one is busy, a second spawner starts for the requests after this one.
  #pick(): Helper {
    let best: Helper | null = null;
    for (const helper of this.#helpers) {
      if (helper.ready && (best === null || helper.pending.size < best.pending.size)) best = helper;
    }
    if (best !== null && best.pending.size > 0 && this.#helpers.length < MAX_HELPERS) this.#start();
    return best ?? this.#helpers[0] ?? this.#start();
  }

  #start(): Helper {
    // Detached: its own session, so a Ctrl-C in the terminal reaches the engine (which pauses
    // gracefully) but not the spawner, whose death would lose track of every running task.
    const program = this.#programs[0]!;
    const child = spawn(program.file, program.args, { stdio: ["pipe", "pipe", "ignore"], detached: true });
    const helper: Helper = { program, process: child, gone: false, pending: new Map(), nextId: 1, unforked: 0, ready: false };
    this.#helpers.push(helper);
    child.stdin!.write(`${JSON.stringify({ env: { ...process.env } as Record<string, string> } satisfies SpawnerInit)}\n`);
    let partial = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop()!;
      for (const line of lines) settle(helper, JSON.parse(line) as SpawnerReply);
      if (helper.ready) this.#worked.add(program);
    });
    child.stdin!.on("error", () => {});
    // 'close' comes after stdout has been read to its end, so no reply is lost to the race.
    child.once("close", (code, signal) => this.#lost(helper, code, signal));
    child.once("error", (error) => this.#lost(helper, null, null, error.message));
    if (!this.#worked.has(program)) {
      const timer = setTimeout(() => {
        if (!helper.ready && !helper.gone) child.kill("SIGKILL");
      }, this.readyTimeoutMs);
      timer.unref();
    }
    // Until it has a request it must not keep this process alive.
    hold(helper, false);
    return helper;
  }

  // The spawner is gone: fail whatever it left unanswered; the next launch starts a new one. When
  // its program never had a spawner ready (no usable python3, say), its requests, none started,
  // go to the next program instead, or after the last one to the fallback.
  #lost(helper: Helper, code: number | null, signal: NodeJS.Signals | null, reason?: string): void {
    if (helper.gone) return;
    helper.gone = true;
    const at = this.#helpers.indexOf(helper);
    if (at !== -1) this.#helpers.splice(at, 1);
    hold(helper, false);
    if (!helper.ready && !this.#worked.has(helper.program)) {
      // Move on from its program, to the next or after the last to the fallback, unless a second
      // spawner of it got here first; its requests, none started, go there.
      if (this.#programs[0] === helper.program && (this.#programs.length > 1 || this.fallback !== null)) this.#programs.shift();
      if (this.#programs[0] !== helper.program) {
        const unstarted = [...helper.pending.values()];
        helper.pending.clear();
        helper.unforked = 0;
        for (const entry of unstarted) this.#relaunch(entry);
        return;
      }
    }
    const how = reason ?? (signal !== null ? `was killed by ${signal}` : `exited with code ${code}`);
    const message = `the spawner process (pid ${helper.process.pid ?? "none"}) ${how}`;
    for (const entry of helper.pending.values()) {
      const error: LaunchError = { phase: entry.pidKnown ? "lost" : "setup", message };
      entry.settlePid(null);
      entry.settleExit({ error });
    }
    helper.pending.clear();
    helper.unforked = 0;
  }

  // A request its spawner never started, handed to the current program's spawners, or the fallback.
  #relaunch(entry: Pending): void {
    if (this.#programs.length > 0) return send(this.#pick(), entry);
    const launched = this.fallback!.launch(entry.request);
    void launched.pid.then(entry.settlePid);
    void launched.exit.then(entry.settleExit);
  }
}

function send(helper: Helper, entry: Pending): void {
  const id = helper.nextId++;
  helper.unforked++;
  helper.pending.set(id, entry);
  if (helper.pending.size === 1) hold(helper, true);
  // A write to a spawner that just died fails with EPIPE (swallowed in #start); its 'close' then
  // fails this request like every other one it left unanswered.
  helper.process.stdin!.write(`${JSON.stringify({ id, ...entry.request })}\n`);
}

function settle(helper: Helper, reply: SpawnerReply): void {
  if ("ready" in reply) {
    helper.ready = true;
    return;
  }
  const entry = helper.pending.get(reply.id);
  if (entry === undefined) return;
  if (!entry.pidKnown) helper.unforked--;
  if ("pid" in reply) {
    entry.pidKnown = true;
    entry.settlePid(reply.pid);
    return;
  }
  helper.pending.delete(reply.id);
  entry.settlePid(null); // no-op once the pid is known
  entry.settleExit("error" in reply ? { error: reply.error } : reply.exit);
  if (helper.pending.size === 0) hold(helper, false);
}

// The spawner keeps the engine alive only while a request is outstanding, so an engine that
// forgets closeLauncher() still exits when its work is done.
function hold(helper: Helper, on: boolean): void {
  const child = helper.process;
  // A spawner that never started has nothing to hold (and Deno's unref() would throw).
  if (child.pid === undefined) return;
  for (const handle of [child, child.stdin as Socket | null, child.stdout as Socket | null]) {
    if (on) handle?.ref();
    else handle?.unref();
  }
}
