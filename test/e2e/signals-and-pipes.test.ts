// Issue 19, item 7: a closed terminal (SIGHUP) pauses like Ctrl-C, and a reader that goes away
// (`| head -1`) stops the output, not the run. Through the built CLI, with real signals and pipes.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CLI, makeProject, readEvents } from "../helpers/cli.ts";

const milestone = (tasks: Array<[string, string]>) =>
  ["id: m", "tasks:", ...tasks.map(([id, run]) => `  - { id: ${id}, title: ${id}, run: "${run}" }`), ""].join("\n");

describe("signals and pipes", () => {
  it("SIGHUP pauses the run like Ctrl-C: exit 4, state saved, lock released, resume completes it", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": milestone([["long", "sleep 2"], ["next", "true"]]) });
    const child = spawn(process.execPath, [CLI, "execute", "m", "--cwd", project, "--grace", "0", "--concurrency", "1"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    await new Promise<void>((resolve) => {
      const wait = setInterval(() => {
        if (out.includes("long running as pid")) {
          clearInterval(wait);
          resolve();
        }
      }, 20);
    });
    child.kill("SIGHUP");
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(code).toBe(4);
    const file = parse(fs.readFileSync(path.join(project, ".milestones/active/m.yaml"), "utf8"));
    expect(file.status).toBe("paused");
    expect(fs.existsSync(path.join(project, ".milestones/sessions/m.lock"))).toBe(false);
    expect(readEvents(project, "m").some((e) => e.event === "milestone_pausing" && e.data.reason === "SIGHUP")).toBe(true);
    const resumed = spawnSync(process.execPath, [CLI, "resume", "m", "--cwd", project], { encoding: "utf8" });
    expect(resumed.status, resumed.stderr).toBe(0);
  });

  it("execute … | head -1 prints one line and the run still completes every task, exit 0, no lock left", () => {
    const project = makeProject({ ".milestones/active/m.yaml": milestone([["a", "sleep 0.2"], ["b", "sleep 0.2"], ["c", "sleep 0.2"], ["d", "sleep 0.2"]]) });
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${CLI}" execute m --cwd "${project}" --concurrency 1 | head -1; echo "engine exit \${PIPESTATUS[0]}"`], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe("engine exit 0");
    expect(fs.existsSync(path.join(project, ".milestones/completed/m.yaml"))).toBe(true);
    expect(readEvents(project, "m").filter((e) => e.event === "task_completed")).toHaveLength(4);
    expect(fs.existsSync(path.join(project, ".milestones/sessions/m.lock"))).toBe(false);
  });
});
