// `execute --help` and the README tell the same story about Ctrl-C: a pause in which running
// tasks get the grace period, and a second Ctrl-C that stops them at once.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";

it("execute --help and the README both say running tasks get --grace seconds after Ctrl-C", async () => {
  const help = (await runCli(["execute", "--help"])).stdout.replace(/\s+/g, " ");
  const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8").replace(/\s+/g, " ");
  for (const text of [help, readme]) {
    expect(text).toMatch(/running tasks get `?--grace`? seconds \(default 30\) to finish/);
    expect(text).toMatch(/second Ctrl-C stops (running tasks|them) at once/);
    expect(text).not.toContain("running tasks are stopped;");
  }
});
