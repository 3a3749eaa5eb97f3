// watchFile on real files: plain writes, an editor's (or our own) rename-replace, bursts, no
// repeats, a platform without fs.watch, and nothing left running or keeping a process alive.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Subscription } from "rxjs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { watchFile } from "../../src/milestone/watch-file.ts";
import { DENO, REPO } from "../helpers/cli.ts";

let dir: string;
let file: string;
let subscription: Subscription | undefined;
let seen: string[];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-watch-"));
  file = path.join(dir, "m.yaml");
  fs.writeFileSync(file, "v0\n");
  seen = [];
});
afterEach(() => {
  subscription?.unsubscribe();
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function watch(options?: Parameters<typeof watchFile>[1]): void {
  subscription = watchFile(file, options).subscribe((text) => seen.push(text));
}

async function until(count: number, timeoutMs = 3_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; seen.length < count && Date.now() < end; ) await sleep(10);
  expect(seen.length).toBe(count);
}

function replaceByRename(text: string): void {
  const temp = path.join(dir, ".m.yaml.tmp");
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

describe("watchFile", () => {
  it("emits the new text after a write, not the text it started with", async () => {
    watch();
    await sleep(50);
    expect(seen).toEqual([]);
    fs.writeFileSync(file, "v1\n");
    await until(1);
    expect(seen).toEqual(["v1\n"]);
  });

  it("follows the file through rename-replaces, with only fs.watch (no polling)", async () => {
    watch({ pollMs: 0 });
    replaceByRename("v1\n");
    await until(1);
    // The old inode is gone now; a watch on the file itself would miss everything from here.
    fs.writeFileSync(file, "v2\n");
    await until(2);
    replaceByRename("v3\n");
    await until(3);
    expect(seen).toEqual(["v1\n", "v2\n", "v3\n"]);
  });

  it("reads nothing for a stat the caller knows (its own write), and still emits the next edit", async () => {
    const read = vi.spyOn(fs, "readFileSync");
    let own: fs.Stats | null = null;
    watch({ debounceMs: 20, pollMs: 0, known: (stats) => own !== null && stats.ino === own.ino && stats.size === own.size && stats.mtimeMs === own.mtimeMs });
    const before = read.mock.calls.length;
    replaceByRename("engine's own write\n");
    own = fs.statSync(file);
    await sleep(300);
    expect(seen).toEqual([]);
    expect(read.mock.calls.length).toBe(before);
    replaceByRename("a person's edit, longer than the engine's\n");
    await until(1);
    expect(seen).toEqual(["a person's edit, longer than the engine's\n"]);
  });

  it("emits a burst of writes once, as its last text", async () => {
    watch({ debounceMs: 150 });
    for (let i = 1; i <= 5; i++) {
      fs.writeFileSync(file, `v${i}\n`);
      await sleep(10);
    }
    await until(1);
    await sleep(400);
    expect(seen).toEqual(["v5\n"]);
  });

  it("does not emit a write that leaves the text as it was", async () => {
    watch({ debounceMs: 20, pollMs: 50 });
    replaceByRename("v0\n");
    fs.writeFileSync(file, "v0\n");
    await sleep(300);
    expect(seen).toEqual([]);
    fs.writeFileSync(file, "v1\n");
    await until(1);
  });

  it("keeps going while the file is missing and emits it when it comes back", async () => {
    watch({ debounceMs: 20, pollMs: 50 });
    fs.rmSync(file);
    await sleep(200);
    expect(seen).toEqual([]);
    fs.writeFileSync(file, "back\n");
    await until(1);
    expect(seen).toEqual(["back\n"]);
  });

  it("notices changes by polling where fs.watch is refused", async () => {
    const refused = vi.spyOn(fs, "watch").mockImplementation(() => {
      throw Object.assign(new Error("ENOSPC: System limit for number of file watchers reached"), { code: "ENOSPC" });
    });
    watch({ debounceMs: 20, pollMs: 50 });
    expect(refused).toHaveBeenCalled();
    fs.writeFileSync(file, "polled\n");
    await until(1);
    expect(seen).toEqual(["polled\n"]);
  });

  it("keeps no handle that would hold the process open while subscribed (Node)", async () => {
    // Other timers of the test runner come and go; the fewest seen over a while is the baseline.
    const ours = () => process.getActiveResourcesInfo().filter((r) => r === "FSEventWrap" || r === "Timeout").length;
    const fewest = async (during: () => void) => {
      let min = Infinity;
      for (let i = 0; i < 10; i++) {
        during();
        await sleep(10);
        min = Math.min(min, ours());
      }
      return min;
    };
    const before = await fewest(() => {});
    watch({ debounceMs: 100, pollMs: 20 });
    // Writing all along keeps a debounce timer pending beside the watcher and the poll, all unref'd.
    let n = 0;
    expect(await fewest(() => fs.writeFileSync(file, `v${++n}\n`))).toBeLessThanOrEqual(before);
    await until(1);
  });

  it("closes its watcher and stops polling on unsubscribe", async () => {
    const watchers: fs.FSWatcher[] = [];
    const realWatch = fs.watch;
    vi.spyOn(fs, "watch").mockImplementation(((...args: Parameters<typeof fs.watch>) => {
      const watcher = realWatch(...args);
      watchers.push(watcher);
      return watcher;
    }) as typeof fs.watch);
    const close = vi.fn();
    watch({ debounceMs: 20, pollMs: 20 });
    expect(watchers).toHaveLength(1);
    watchers[0].on("close", close);
    fs.writeFileSync(file, "pending\n");
    subscription!.unsubscribe();
    const stats = vi.spyOn(fs, "statSync");
    fs.writeFileSync(file, "after\n");
    await sleep(200);
    // FSWatcher reports its close on the next tick.
    expect(close).toHaveBeenCalledTimes(1);
    expect(stats).not.toHaveBeenCalled();
    expect(seen).toEqual([]);
  });
});

// A process that watches a file must still end once it stops watching, under Deno too (whose
// fs.watch ignores `persistent: false`, and forgets unref() once an event has arrived).
describe.skipIf(!fs.existsSync(DENO))("watchFile under Deno", () => {
  it("sees a rename-replace, and lets the process exit after unsubscribe", () => {
    const script = path.join(dir, "watch.ts");
    const module = pathToFileURL(path.join(REPO, "src/milestone/watch-file.ts")).href;
    fs.writeFileSync(
      script,
      `import { watchFile } from ${JSON.stringify(module)};
import fs from "node:fs";
const file = ${JSON.stringify(file)};
const first = await new Promise((resolve) => {
  const sub = watchFile(file, { debounceMs: 20, pollMs: 50 }).subscribe((text) => { sub.unsubscribe(); resolve(text); });
  fs.writeFileSync(file + ".tmp", "replaced\\n");
  fs.renameSync(file + ".tmp", file);
});
fs.writeFileSync(file, "after\\n");
console.log(JSON.stringify(first));
`,
    );
    const flags = [`--config=${path.join(REPO, "deno.json")}`, `--allow-read=${REPO},${dir}`, `--allow-write=${dir}`, "--no-prompt"];
    const run = spawnSync(DENO, ["run", ...flags, script], { cwd: REPO, encoding: "utf8", timeout: 15_000 });
    expect(run.signal).toBeNull();
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toBe("replaced\n");
  });
});
