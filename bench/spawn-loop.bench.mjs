// Scenario a: the engine's overhead per task. 1,000 `true` tasks in 10 chains of 100 at
// concurrency 2, durability on, against the bare spawn loop (the same 1,000 `sh -c true` with
// the same cap) on Node; the same pair under Deno (engine from src/cli.ts, bare loop under
// Deno); and, for scale, `make -j2` on the equivalent Makefile. Runs alternate.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  alternate, bareLoop, chainsMakefile, chainsYaml, denoCli, denoRun, executeArgs, freshProject, measure, nodeCli, ratioRow, retireProject, root, smoke,
} from "./lib.mjs";

const hasMake = spawnSync("make", ["--version"]).status === 0;

export async function spawnLoop() {
  const chains = smoke ? 2 : 10;
  const length = smoke ? 5 : 100;
  const concurrency = 2;
  const total = chains * length;
  const yaml = chainsYaml("bench", chains, length);
  const makeDir = fs.mkdtempSync(path.join(os.tmpdir(), "mm-bench-make-"));
  fs.writeFileSync(path.join(makeDir, "Makefile"), chainsMakefile(chains, length));

  // One engine run in a fresh project, started by `[program, ...args]` of nodeCli or denoCli.
  const engine = ([program, ...args]) => () => {
    const dir = freshProject("bench", yaml);
    try {
      return measure(program, [...args, ...executeArgs("bench", dir, concurrency)], { cwd: root });
    } finally {
      retireProject(dir);
    }
  };
  const nodeEngine = engine(nodeCli);
  const denoEngine = engine(denoCli);
  const bare = ([program, ...args]) => () => measure(program, [...args, bareLoop, String(total), String(concurrency)]);

  const variants = { bare: bare([process.execPath]), engine: nodeEngine };
  if (hasMake) variants.make = () => measure("make", ["-s", `-j${concurrency}`, "-f", path.join(makeDir, "Makefile"), "all"]);
  const node = await alternate(variants);
  // Deno compiles src/ on its first run and caches it; that run is not the engine's steady cost.
  denoEngine();
  const deno = await alternate({ bare: bare(denoRun), engine: denoEngine });
  retireProject(makeDir);

  const what = `${total.toLocaleString("en")} \`true\` tasks in ${chains} chains, -j${concurrency}`;
  return {
    rows: [
      ratioRow("a", `${what}: engine / bare Node loop`, node.engine, node.bare, 1.1),
      ratioRow("a", "same, under Deno: engine / bare Deno loop", deno.engine, deno.bare, 1.1),
      ...(hasMake ? [ratioRow("a", `same: engine (Node) / make -j${concurrency}`, node.engine, node.make, null)] : []),
    ],
    details: { a: { tasks: total, chains, concurrency, node, deno } },
  };
}
