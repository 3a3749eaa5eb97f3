// Scenarios d and e: what a user waits for at the prompt, on Node. d: `--version`, and `status`
// of a 1,000-task milestone that has run (its file and event log full); e: `validate` of a
// 10,000-task file. Each is a fresh process, timed from spawn to exit, alternating with a bare
// Node process that runs an empty ES module (the floor no command can go below).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  alternate, chainsYaml, executeArgs, fanYaml, freshProject, limitRow, measure, measureCli, retireProject, runs, smoke,
} from "./lib.mjs";

export async function coldStart() {
  const [chains, length] = smoke ? [2, 5] : [10, 100];
  const small = freshProject("m1k", chainsYaml("m1k", chains, length));
  measureCli(executeArgs("m1k", small, 2));
  const [fans, fanLength] = smoke ? [4, 10] : [100, 100];
  const large = freshProject("m10k", fanYaml("m10k", fans, fanLength));
  const empty = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mm-bench-node-")), "empty.mjs");
  fs.writeFileSync(empty, "export {};\n");

  const cli = (...args) => () => measureCli(args, { usage: true });
  const times = await alternate(
    {
      node: () => measure(process.execPath, [empty], { usage: true }),
      version: cli("--version"),
      status: cli("status", "m1k", "--cwd", small),
      validate: cli("validate", "m10k", "--cwd", large),
    },
    smoke ? 1 : Math.max(runs, 11),
  );
  for (const dir of [small, large, path.dirname(empty)]) retireProject(dir);

  const node = times.node.median;
  const cpu = (k) => (times[k].cpu_median === undefined ? "" : `; CPU ${times[k].cpu_median} ms, bare Node ${times.node.cpu_median} ms`);
  return {
    rows: [
      limitRow("d", `cold start: \`--version\` (baseline: bare Node start${cpu("version")})`, times.version.median, "ms", 100, node),
      limitRow("d", `cold start: \`status\` of a ${(chains * length).toLocaleString("en")}-task milestone that ran${cpu("status")}`, times.status.median, "ms", 200, node),
      limitRow("e", `\`validate\` of a ${(fans * fanLength).toLocaleString("en")}-task file${cpu("validate")}`, times.validate.median, "ms", 300, node),
    ],
    details: { d: { node: times.node, version: times.version, status: times.status }, e: { node: times.node, validate: times.validate } },
  };
}
