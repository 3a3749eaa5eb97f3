// The terminal dashboard as a user sees it: the built CLI runs in a real terminal (tmux) and the
// tests read the screen, while the run goes and after it ends.
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, makeProject, runCli } from "../helpers/cli.ts";

// Five tasks, two at a time, each printing a line, then another after half a second.
const DEMO = [
  "id: demo",
  "title: Dashboard demo",
  "tasks:",
  ...[
    ["fetch", ""],
    ["compile", ""],
    ["lint", "fetch"],
    ["test", "compile"],
    ["package", "lint, test"],
  ].flatMap(([id, deps]) => [
    `  - id: ${id}`,
    `    title: ${id}`,
    `    run: echo "${id} step 1"; sleep 0.5; echo "${id} step 2 of 2"; sleep 0.5`,
    ...(deps ? [`    dependencies: [${deps}]`] : []),
  ]),
  "",
].join("\n");

const shell = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** One tmux server of our own (its own socket), so tests never touch a user's sessions. */
class Terminal {
  private static count = 0;
  readonly socket = `mm-dash-${process.pid}-${Terminal.count++}`;

  tmux(...args: string[]): string {
    const r = spawnSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  }

  /** Runs a shell command in a new 100x30 terminal; the pane stays open after it, showing EXIT=code. */
  start(command: string, cwd: string): void {
    this.tmux("new-session", "-d", "-x", "100", "-y", "30", "-c", cwd, `${command}; echo EXIT=$?; sleep 600`);
  }

  screen(options: { escapes?: boolean } = {}): string {
    return this.tmux("capture-pane", "-p", ...(options.escapes ? ["-e"] : []));
  }

  async waitFor(check: (screen: string) => boolean, ms = 20_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const screen = this.screen();
      if (check(screen)) return screen;
      if (Date.now() > until) throw new Error(`timed out; the screen was:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    spawnSync("tmux", ["-L", this.socket, "kill-server"]);
  }
}

const cli = (args: string, env = "env -u NO_COLOR") => `${env} ${shell(process.execPath)} ${shell(CLI)} ${args}`;
const widest = (screen: string) => Math.max(...screen.split("\n").map((line) => [...line].length));
const count = (screen: string, text: string) => screen.split(text).length - 1;

describe("the terminal dashboard", () => {
  let terminals: Terminal[] = [];
  const terminal = () => {
    const t = new Terminal();
    terminals.push(t);
    return t;
  };
  afterEach(() => {
    for (const t of terminals) t.kill();
    terminals = [];
  });

  it("execute shows title, progress, running tasks with their last output line and the agents, redrawn in place", async () => {
    const project = makeProject({ ".milestones/active/demo.yaml": DEMO });
    const term = terminal();
    term.start(`echo earlier output; ${cli("execute demo")}`, project);

    const running = await term.waitFor((s) => s.includes("2/5 40%") && /→ (lint|test) .*│ (lint|test) step/.test(s));
    expect(running).toContain("Dashboard demo (demo)  in_progress");
    expect(running).toMatch(/elapsed \d+\.\ds · ETA \d/);
    expect(running).toContain("running 2/2");
    expect(running).toMatch(/agents {2}executor running \(2 running, \d ready\) {2}progress active \(2\/5\) {2}session active \(pid \d+\)/);
    expect(running).toContain("✔ fetch completed in");
    // In place: one dashboard on screen, below what was there before.
    expect(count(running, "Dashboard demo")).toBe(1);
    expect(running.startsWith("earlier output\n")).toBe(true);
    expect(term.screen({ escapes: true })).toContain("\x1b[32m");

    const final = await term.waitFor((s) => s.includes("EXIT="));
    expect(final).toContain("EXIT=0");
    expect(final).toContain("Dashboard demo (demo)  completed");
    expect(final).toMatch(/█{30} 5\/5 100% {2}elapsed \d/);
    expect(final).toContain("running 0/2\n  none");
    expect(final).toContain("agents  executor stopped  progress stopped  session stopped");
    expect(final).toMatch(/✔ package completed in .*\n.*✔ demo completed\nEXIT=0/);
    expect(count(final, "Dashboard demo")).toBe(1);
    expect(term.tmux("display", "-p", "#{cursor_flag}").trim()).toBe("1");
  });

  it("follows a resize: every line fits the narrower terminal", async () => {
    const project = makeProject({ ".milestones/active/demo.yaml": DEMO });
    const term = terminal();
    term.start(cli("execute demo"), project);
    const wide = await term.waitFor((s) => s.includes("→ fetch"));
    expect(widest(wide)).toBeGreaterThan(60);

    term.tmux("resize-window", "-x", "60");
    const narrow = await term.waitFor((s) => /^agents .*…$/m.test(s) && widest(s) <= 60);
    expect(count(narrow, "Dashboard demo")).toBe(1);
    const final = await term.waitFor((s) => s.includes("EXIT="));
    expect(final).toContain("EXIT=0");
    expect(widest(final)).toBeLessThanOrEqual(60);
    expect(final).toMatch(/█+ 5\/5 100%/);
  });

  it("status --watch follows a run of another process and, with --exit, ends with it", async () => {
    const project = makeProject({ ".milestones/active/demo.yaml": DEMO });
    const term = terminal();
    term.start(cli("status demo --watch --exit"), project);
    await term.waitFor((s) => s.includes("Dashboard demo (demo)  planned"));

    const run = runCli(["execute", "demo", "--cwd", project]);
    const running = await term.waitFor((s) => /→ (fetch|compile) .*│ (fetch|compile) step/.test(s));
    expect(running).toContain("Dashboard demo (demo)  in_progress");
    expect(running).toMatch(/agents {2}executor running \(\d running\) {2}progress active \(\d\/5\) {2}session active \(pid \d+ on /);
    expect((await run).code).toBe(0);

    const final = await term.waitFor((s) => s.includes("EXIT="));
    expect(final).toContain("Dashboard demo (demo)  completed");
    expect(final).toContain("5/5 100%");
    expect(final).toContain("✔ demo completed");
    expect(final).toContain("EXIT=0");
  });

  it("status --watch ends on Ctrl-C with the cursor shown again", async () => {
    const project = makeProject({ ".milestones/active/demo.yaml": DEMO });
    const term = terminal();
    term.start(cli("status demo --watch"), project);
    await term.waitFor((s) => s.includes("Dashboard demo (demo)  planned"));
    expect(term.tmux("display", "-p", "#{cursor_flag}").trim()).toBe("0");
    term.tmux("send-keys", "C-c");
    const final = await term.waitFor((s) => s.includes("EXIT="));
    expect(final).toContain("EXIT=0");
    expect(term.tmux("display", "-p", "#{cursor_flag}").trim()).toBe("1");
  });

  it("while pausing, the executor shows as draining (not [object Object]), and the run ends once its last task has finished", async () => {
    const project = makeProject({ ".milestones/active/slow.yaml": "id: slow\ntitle: Slow\ntasks:\n  - { id: wait, title: Wait, run: sleep 2 }\n" });
    const term = terminal();
    term.start(cli("execute slow --grace 20"), project);
    await term.waitFor((s) => s.includes("→ wait"));
    term.tmux("send-keys", "C-c");
    const pausing = await term.waitFor((s) => s.includes("pausing"));
    expect(pausing).not.toContain("[object Object]");
    expect(pausing).toMatch(/agents {2}executor draining \(1 running, 0 ready\)/);
    const final = await term.waitFor((s) => s.includes("EXIT="));
    expect(final).toContain("EXIT=0");
  });

  it("NO_COLOR: the screen holds no escape sequence at all", async () => {
    const project = makeProject({ ".milestones/active/demo.yaml": DEMO });
    const term = terminal();
    term.start(cli("execute demo", "env NO_COLOR=1"), project);
    await term.waitFor((s) => s.includes("→ fetch"));
    expect(term.screen({ escapes: true })).not.toContain("\x1b");
    const final = await term.waitFor((s) => s.includes("EXIT="));
    expect(final).toContain("5/5 100%");
    expect(term.screen({ escapes: true })).not.toContain("\x1b");
  });
});
