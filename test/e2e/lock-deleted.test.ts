// Issue 19, item 2: deleting a live run's lock file does not let a second executor in, and a
// second executor never kills the live run's tasks.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, makeProject, runCli } from "../helpers/cli.ts";

describe("a live run whose lock file was deleted", () => {
  it("is recognised by its running tasks: a second execute exits 5 and kills nothing; the first completes", async () => {
    const project = makeProject({
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: long, title: Long, run: echo start >> \"$MM_PROJECT/ledger\"; sleep 2; echo end >> \"$MM_PROJECT/ledger\" }\n",
    });
    const first = spawn(process.execPath, [CLI, "execute", "m", "--cwd", project], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    first.stdout.on("data", (d) => (out += d));
    const done = new Promise<number | null>((resolve) => first.on("close", (code) => resolve(code)));
    while (!out.includes("long running as pid")) await new Promise((r) => setTimeout(r, 20));
    fs.rmSync(path.join(project, ".milestones/sessions/m.lock"));

    const second = await runCli(["execute", "m", "--cwd", project]);
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`is being executed by pid ${first.pid} (its tasks are running), though its lock file is gone`);
    expect(await done).toBe(0);
    expect(fs.readFileSync(path.join(project, "ledger"), "utf8")).toBe("start\nend\n");
  });
});
