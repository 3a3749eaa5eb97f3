// The same disk probe source under Deno 2: statfs needs --allow-sys=statfs there; without it the
// probe says so (never an interactive prompt, never a crash), with it the numbers are real.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DENO, REPO } from "../helpers/cli.ts";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-disk-deno-"));
  const probe = pathToFileURL(path.join(REPO, "src/probes/disk.ts")).href;
  fs.writeFileSync(
    path.join(dir, "probe.ts"),
    `import { probeDisk } from ${JSON.stringify(probe)};\nconsole.log(JSON.stringify(await probeDisk(${JSON.stringify(dir)}, { minFreeMb: 1 })));\n`,
  );
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function runProbe(extraFlags: string[]) {
  const flags = [`--allow-read=${REPO},${dir}`, "--no-prompt", ...extraFlags];
  const run = spawnSync(DENO, ["run", ...flags, path.join(dir, "probe.ts")], { encoding: "utf8", timeout: 30_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}

describe.skipIf(!fs.existsSync(DENO))("probeDisk under Deno", () => {
  it("is unavailable without --allow-sys=statfs, and says which flag to add", () => {
    expect(runProbe([])).toEqual({ blockers: [], usage: null, unavailable: "disk probe unavailable: Deno needs --allow-sys=statfs to measure free space" });
  });

  it("measures with --allow-sys=statfs", () => {
    const out = runProbe(["--allow-sys=statfs"]);
    expect(out.unavailable).toBeUndefined();
    expect(out.blockers).toEqual([]);
    expect(out.usage.freeMb).toBeGreaterThan(1);
    expect(out.usage.freePercent).toBeGreaterThan(0);
  });
});
