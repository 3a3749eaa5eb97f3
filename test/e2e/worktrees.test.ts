// Parallel tasks in worktrees of their own, through the built CLI in real repositories: one
// commit per task holding exactly its changes, merges of different hunks of one file, a real
// conflict kept on its branch, the person's checkout untouched, a project that is itself a
// linked worktree, .worktreeinclude and worktrees.setup.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readEvents, runCli } from "../helpers/cli.ts";
import { eventsOf } from "../helpers/event-checks.ts";
import { commitsOf, git, makeGitProject } from "../helpers/git-cli.ts";

// A fake coding agent: the engine appends the prompt as the last argument. "write F" writes the
// file F; "line N of F" rewrites line N of F, as an agent editing one hunk would.
const FAKE_AGENT = `#!/bin/sh
prompt="$1"
sleep 0.2
case "$prompt" in
  write\\ *) f=\${prompt#write }; mkdir -p "$(dirname "$f")"; echo "written by the agent: $f" > "$f" ;;
  line\\ *) n=$(echo "$prompt" | cut -d' ' -f2); f=$(echo "$prompt" | cut -d' ' -f4); sed -i "\${n}s/.*/edited line $n/" "$f" ;;
  *) echo "unknown prompt: $prompt" >&2; exit 9 ;;
esac
`;

const TEN_LINES = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";

const worktreesLeft = (project: string) => git(project, ["worktree", "list", "--porcelain"]).split("\n").filter((l) => l.startsWith("worktree ")).length - 1;

describe("tasks in worktrees", () => {
  it("three agent tasks in parallel: one commit each with exactly its files, both hunks of one file land, the dependent sees all of it", async () => {
    const project = makeGitProject({
      "agent.sh": FAKE_AGENT,
      "app.txt": TEN_LINES,
      ".milestones/config.yaml": 'agent:\n  command: ["sh", "agent.sh"]\n',
      ".milestones/active/m.yaml": [
        "id: m",
        "tasks:",
        "  - { id: a, title: A, agent: write src/a.txt }",
        "  - { id: top, title: Top, agent: line 2 of app.txt }",
        "  - { id: bottom, title: Bottom, agent: line 9 of app.txt }",
        "  - id: check",
        "    title: Check",
        "    dependencies: [a, top, bottom]",
        "    run: cat src/a.txt app.txt > seen.txt",
        "",
      ].join("\n"),
    });
    const base = git(project, ["rev-parse", "HEAD"]);
    const r = await runCli(["execute", "m", "--cwd", project, "--concurrency", "3"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);

    const commits = commitsOf(project, `${base}..milestone/m`);
    expect(commits).toHaveLength(4);
    const filesOf = Object.fromEntries(commits.map((c) => [c.task, c.files]));
    expect(filesOf).toEqual({ a: ["src/a.txt"], top: ["app.txt"], bottom: ["app.txt"], check: ["seen.txt"] });
    expect(commits.at(-1)!.task).toBe("check");
    const landed = git(project, ["show", "milestone/m:app.txt"]).split("\n");
    expect(landed[1]).toBe("edited line 2");
    expect(landed[8]).toBe("edited line 9");
    const seen = git(project, ["show", "milestone/m:seen.txt"]);
    expect(seen).toContain("written by the agent: src/a.txt");
    expect(seen).toContain("edited line 2");
    expect(seen).toContain("edited line 9");
    git(project, ["fsck", "--strict"]);
    expect(worktreesLeft(project)).toBe(0);
    expect(git(project, ["branch", "--list", "milestone/m+*"])).toBe("");
    // The three ran at once, each in its own worktree.
    const events = readEvents(project, "m");
    const places = eventsOf(events, "task_worktree").filter((e) => e.data.task_id !== "check").map((e) => e.data.worktree);
    expect(new Set(places).size).toBe(3);
    expect(r.stderr).toContain("git merge milestone/m");
  });

  it("two tasks changing the same line: exit 3 with a merge_conflict naming the file; resolved in the worktree, retry and resume complete it", async () => {
    const project = makeGitProject({
      "shared.txt": "base\n",
      ".milestones/active/m.yaml": [
        "id: m",
        "tasks:",
        "  - { id: first, title: First, run: echo first > shared.txt }",
        "  - { id: second, title: Second, run: sleep 0.5; echo second > shared.txt }",
        "  - { id: after, title: After, dependencies: [first, second], run: cat shared.txt > after.txt }",
        "",
      ].join("\n"),
    });
    const base = git(project, ["rev-parse", "HEAD"]);
    const r = await runCli(["execute", "m", "--cwd", project, "--concurrency", "2"]);
    expect(r.code, r.stdout).toBe(3);
    expect(r.stderr).toContain("merge_conflict");
    expect(r.stderr).toContain("shared.txt");
    const file = parse(fs.readFileSync(path.join(project, ".milestones/active/m.yaml"), "utf8"));
    expect(file.blockers).toEqual([expect.objectContaining({ type: "merge_conflict", task: "second", detail: expect.stringContaining("shared.txt") })]);
    // The first task's change landed; the second's is kept on its branch; the dependent waits.
    expect(commitsOf(project, `${base}..milestone/m`).map((c) => c.task)).toEqual(["first"]);
    expect(git(project, ["show", "milestone/m+second:shared.txt"])).toBe("second");
    expect(eventsOf(readEvents(project, "m"), "task_started", "after")).toHaveLength(0);

    const worktree = path.join(project, String(eventsOf(readEvents(project, "m"), "task_worktree", "second")[0].data.worktree));
    git(worktree, ["merge", "milestone/m"], { allowFailure: true });
    fs.writeFileSync(path.join(worktree, "shared.txt"), "first and second\n");
    git(worktree, ["commit", "-q", "-am", "resolve"]);
    const retry = await runCli(["retry", "m", "second", "--cwd", project]);
    expect(retry.code, retry.stderr).toBe(0);
    const resumed = await runCli(["resume", "m", "--cwd", project]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(commitsOf(project, `${base}..milestone/m`).map((c) => c.task)).toEqual(["first", "second", "after"]);
    expect(git(project, ["show", "milestone/m:after.txt"])).toBe("first and second");
    // The conflicting task did not run again: its resolution is what landed.
    expect(eventsOf(readEvents(project, "m"), "task_started", "second")).toHaveLength(1);
    expect(worktreesLeft(project)).toBe(0);
    git(project, ["fsck", "--strict"]);
  });

  it("the person's branch, index, uncommitted edit and untracked file are untouched, and in no commit", async () => {
    const project = makeGitProject({
      "app.txt": "committed\n",
      "staged.txt": "committed\n",
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: t, title: T, run: echo task > task.txt && echo task >> app.txt }\n",
    });
    git(project, ["checkout", "-q", "-b", "feature"]);
    const base = git(project, ["rev-parse", "HEAD"]);
    fs.writeFileSync(path.join(project, "app.txt"), "my edit\n");
    fs.writeFileSync(path.join(project, "staged.txt"), "staged edit\n");
    git(project, ["add", "staged.txt"]);
    fs.writeFileSync(path.join(project, ".env.local"), "TOKEN=secret\n");
    const indexBefore = git(project, ["diff", "--cached"]);
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 uncommitted or untracked file\(s\) in your checkout|3 uncommitted or untracked file\(s\) in your checkout/);

    expect(git(project, ["symbolic-ref", "--short", "HEAD"])).toBe("feature");
    expect(git(project, ["rev-parse", "HEAD"])).toBe(base);
    expect(git(project, ["diff", "--cached"])).toBe(indexBefore);
    expect(fs.readFileSync(path.join(project, "app.txt"), "utf8")).toBe("my edit\n");
    expect(fs.readFileSync(path.join(project, ".env.local"), "utf8")).toBe("TOKEN=secret\n");
    expect(fs.existsSync(path.join(project, "task.txt"))).toBe(false);
    const [commit] = commitsOf(project, `${base}..milestone/m`);
    expect(commit.files).toEqual(["app.txt", "task.txt"]);
    expect(git(project, ["show", "milestone/m:app.txt"])).toBe("committed\ntask");
    expect(git(project, ["show", "milestone/m:staged.txt"])).toBe("committed");
    expect(git(project, ["ls-tree", "-r", "--name-only", "milestone/m"])).not.toContain(".env.local");
    expect(r.stderr).toContain("git merge milestone/m' on feature");
  });

  it("runs whole from inside a linked worktree of the repository", async () => {
    const main = makeGitProject({
      "app.txt": "app\n",
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: one, title: One, run: echo one > one.txt }\n  - { id: two, title: Two, dependencies: [one], run: cat one.txt > two.txt }\n",
    });
    const linked = `${main}-linked`;
    git(main, ["worktree", "add", "-q", "-b", "side", linked]);
    const base = git(linked, ["rev-parse", "HEAD"]);
    const r = await runCli(["execute", "m", "--cwd", linked]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const commits = commitsOf(main, `${base}..milestone/m`);
    expect(commits.map((c) => [c.task, c.files])).toEqual([["one", ["one.txt"]], ["two", ["two.txt"]]]);
    expect(git(linked, ["symbolic-ref", "--short", "HEAD"])).toBe("side");
    expect(git(linked, ["status", "--porcelain", "--untracked-files=all"]).split("\n").filter((l) => l && !l.includes(".milestones/"))).toEqual([]);
    expect(worktreesLeft(main)).toBe(1);
    fs.rmSync(linked, { recursive: true, force: true });
  });

  it("copies .worktreeinclude files into each new worktree, and a failing worktrees.setup is a blocker, not a task failure", async () => {
    const project = makeGitProject({
      ".gitignore": ".env\nready.txt\n",
      ".worktreeinclude": ".env\n",
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: t, title: T, run: cat .env > copy.txt && cat ready.txt >> copy.txt }\n",
      ".milestones/config.yaml": "worktrees:\n  setup: test -f .env && echo set-up > ready.txt && echo ran setup\n",
    });
    fs.writeFileSync(path.join(project, ".env"), "KEY=local\n");
    const base = git(project, ["rev-parse", "HEAD"]);
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(git(project, ["show", "milestone/m:copy.txt"])).toBe("KEY=local\nset-up");
    // ready.txt was made by the set-up (and is ignored, as node_modules would be): not committed.
    expect(commitsOf(project, `${base}..milestone/m`)[0].files).toEqual(["copy.txt"]);
    expect(git(project, ["ls-tree", "-r", "--name-only", "milestone/m"])).not.toContain(".env");

    const failing = makeGitProject({
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: t, title: T, run: echo hi > hi.txt }\n",
      ".milestones/config.yaml": "worktrees:\n  setup: echo cannot install >&2; exit 7\n",
    });
    const blocked = await runCli(["execute", "m", "--cwd", failing]);
    expect(blocked.code, blocked.stdout).toBe(3);
    expect(blocked.stderr).toContain("worktree_setup_failed");
    expect(blocked.stderr).toContain("exit code 7");
    const events = readEvents(failing, "m");
    expect(eventsOf(events, "task_failed")).toHaveLength(0);
    const log = fs.readdirSync(path.join(failing, ".milestones/logs/m")).find((f) => f.startsWith("worktree-setup."))!;
    expect(fs.readFileSync(path.join(failing, ".milestones/logs/m", log), "utf8")).toContain("cannot install");
    const status = JSON.parse((await runCli(["status", "m", "--json", "--cwd", failing])).stdout);
    expect(status.tasks[0].status).toBe("pending");
  });

  it("a task killed with its engine runs again from a reset worktree: nothing of the killed attempt lands", async () => {
    const project = makeGitProject({
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: t, title: T, run: echo attempt >> count.txt; echo half > partial-$$.txt; sleep 0.4 }\n",
    });
    const base = git(project, ["rev-parse", "HEAD"]);
    const killed = await runCli(["execute", "m", "--cwd", project], { env: { MM_CRASH_AT: "after-spawn" } });
    expect(killed.signal).toBe("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const r = await runCli(["resume", "m", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    const [commit] = commitsOf(project, `${base}..milestone/m`);
    expect(git(project, ["show", "milestone/m:count.txt"])).toBe("attempt");
    expect(commit.files.filter((f) => f.startsWith("partial-"))).toHaveLength(1);
    expect(worktreesLeft(project)).toBe(0);
  });

  it("clean removes a conflicted task's worktree and branch, keeps the milestone branch, and prints how to get the branch back", async () => {
    const project = makeGitProject({
      "shared.txt": "base\n",
      ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: one, title: One, run: echo one > shared.txt }\n  - { id: two, title: Two, run: sleep 0.4; echo two > shared.txt }\n",
    });
    expect((await runCli(["execute", "m", "--cwd", project])).code).toBe(3);
    const kept = git(project, ["rev-parse", "milestone/m+two"]);
    const tip = git(project, ["rev-parse", "milestone/m"]);
    const r = await runCli(["clean", "m", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`deleted branch milestone/m+two (was ${kept.slice(0, 12)})`);
    expect(r.stdout).toMatch(/removed worktree \.milestones\/worktrees\/m\/w\d/);
    expect(worktreesLeft(project)).toBe(0);
    expect(git(project, ["branch", "--list", "milestone/m+*"])).toBe("");
    expect(git(project, ["rev-parse", "milestone/m"])).toBe(tip);
    expect(fs.existsSync(path.join(project, ".milestones/worktrees/m"))).toBe(false);
    const again = await runCli(["clean", "m", "--cwd", project, "--json"]);
    expect(JSON.parse(again.stdout)).toEqual({ id: "m", worktrees: [], branches: [] });
    // An id that would point outside the worktrees folder is refused, and nothing is removed.
    const escape = await runCli(["clean", "../..", "--cwd", project]);
    expect(escape.code).toBe(2);
    expect(escape.stderr).toContain("is not a milestone id");
    expect(fs.existsSync(path.join(project, ".milestones/active/m.yaml"))).toBe(true);
  });

  it("a milestone that requires another starts from a base holding the other's branch, and the log says so", async () => {
    const project = makeGitProject({
      ".milestones/active/first.yaml": "id: first\ntasks:\n  - { id: make, title: Make, run: echo from-first > first.txt }\n",
      ".milestones/active/second.yaml": "id: second\ndependencies:\n  requires: [first]\ntasks:\n  - { id: use, title: Use, run: cat first.txt > seen.txt }\n",
    });
    const base = git(project, ["rev-parse", "HEAD"]);
    expect((await runCli(["execute", "first", "--cwd", project])).code).toBe(0);
    const r = await runCli(["execute", "second", "--cwd", project]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(git(project, ["show", "milestone/second:seen.txt"])).toBe("from-first");
    expect(eventsOf(readEvents(project, "second"), "git_branch")[0].data).toMatchObject({ created: true, from: base, merged: ["milestone/first"] });
    // The base is a merge of the person's commit and the required branch; the task is one commit on it.
    const [merge] = git(project, ["rev-list", "--merges", `${base}..milestone/second`]).split("\n");
    expect(git(project, ["rev-parse", `${merge}^1`, `${merge}^2`]).split("\n")).toEqual([base, git(project, ["rev-parse", "milestone/first"])]);
    expect(git(project, ["rev-parse", "main"])).toBe(base);
  });

  it("on_conflict: agent hands a conflict to the task's agent in its worktree, which resolves it; the result is verified and lands", async () => {
    const project = makeGitProject({ ...resolvingAgentProject(), ".milestones/active/m.yaml": conflictingTasks("grep -q two shared.txt") });
    const base = git(project, ["rev-parse", "HEAD"]);
    const r = await runCli(["execute", "m", "--cwd", project, "--concurrency", "2"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(commitsOf(project, `${base}..milestone/m`).map((c) => c.task)).toEqual(["one", "two", "after"]);
    // Both sides kept: the task's own line (ours) and the landed one (theirs).
    expect(git(project, ["show", "milestone/m:after.txt"]).split("\n").sort()).toEqual(["one", "two"]);
    const events = readEvents(project, "m");
    expect(eventsOf(events, "task_conflict")).toEqual([expect.objectContaining({ data: { task_id: "two", files: ["shared.txt"], to: "agent" } })]);
    expect(eventsOf(events, "conflict_resolution_started", "two")).toHaveLength(1);
    expect(eventsOf(events, "conflict_resolved", "two")).toHaveLength(1);
    // The task itself ran once; its second attempt was the agent resolving the conflict.
    expect(eventsOf(events, "task_started", "two")).toHaveLength(1);
    expect(eventsOf(events, "task_completed", "two")).toHaveLength(1);
    expect(fs.readFileSync(path.join(project, ".milestones/logs/m/two.2.log"), "utf8")).toContain("resolved shared.txt");
    expect(worktreesLeft(project)).toBe(0);
    git(project, ["fsck", "--strict"]);
  });

  it("on_conflict: agent whose agent leaves the markers blocks with the files named, and lands nothing of it", async () => {
    const project = makeGitProject({ ...resolvingAgentProject("leave"), ".milestones/active/m.yaml": conflictingTasks("true") });
    const base = git(project, ["rev-parse", "HEAD"]);
    const r = await runCli(["execute", "m", "--cwd", project, "--concurrency", "2"]);
    expect(r.code, r.stdout).toBe(3);
    expect(r.stderr).toContain("merge_conflict");
    expect(r.stderr).toContain("shared.txt still has unresolved conflicts");
    expect(commitsOf(project, `${base}..milestone/m`).map((c) => c.task)).toEqual(["one"]);
    expect(git(project, ["show", "milestone/m:shared.txt"])).toBe("one");
  });
  it("a git lock is no reason to fail: the person's index.lock is not ours and is left alone; one a killed run left in a task's worktree or on the milestone branch is removed", async () => {
    const project = makeGitProject({ ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: a, title: A, run: echo a > a.txt; sleep 0.5 }\n  - { id: b, title: B, dependencies: [a], run: echo b > b.txt }\n" });
    const base = git(project, ["rev-parse", "HEAD"]);
    fs.writeFileSync(path.join(project, ".git/index.lock"), "");
    const killed = await runCli(["execute", "m", "--cwd", project], { env: { MM_CRASH_AT: "after-spawn" } });
    expect(killed.signal).toBe("SIGKILL");
    const worktree = path.join(project, String(eventsOf(readEvents(project, "m"), "task_worktree", "a")[0].data.worktree));
    // What a git killed half-way through a commit in the worktree, or a ref update, leaves.
    fs.writeFileSync(path.resolve(worktree, git(worktree, ["rev-parse", "--git-path", "index.lock"])), "");
    fs.writeFileSync(path.join(project, ".git/refs/heads/milestone/m.lock"), "");
    const r = await runCli(["resume", "m", "--cwd", project]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(commitsOf(project, `${base}..milestone/m`).map((c) => c.task)).toEqual(["a", "b"]);
    expect(fs.existsSync(path.join(project, ".git/index.lock"))).toBe(true);
  });
  it("a task that fails for good while the run drains for a conflict is a blocker too, escalated with it", async () => {
    const project = makeGitProject({
      "shared.txt": "base\n",
      ".milestones/active/m.yaml": [
        "id: m",
        "tasks:",
        "  - { id: one, title: One, run: echo one > shared.txt }",
        "  - { id: two, title: Two, run: sleep 0.3; echo two > shared.txt }",
        "  - { id: broken, title: Broken, run: sleep 1.2; exit 1 }",
        "",
      ].join("\n"),
    });
    const r = await runCli(["execute", "m", "--cwd", project, "--concurrency", "3"]);
    expect(r.code, r.stdout).toBe(3);
    const file = parse(fs.readFileSync(path.join(project, ".milestones/active/m.yaml"), "utf8"));
    expect(file.blockers.map((b: { type: string; task: string }) => `${b.type} ${b.task}`).sort()).toEqual(["merge_conflict two", "task_failed broken"]);
    const escalated = eventsOf(readEvents(project, "m"), "blockers_escalated")[0].data.blockers as Array<{ type: string }>;
    expect(escalated.map((b) => b.type).sort()).toEqual(["merge_conflict", "task_failed"]);
    expect(r.stderr).toContain("task broken failed after 1 attempt(s)");
  });
});

// A fake agent: "set F to V" writes V into F ("slow set …" after half a second); the engine's
// conflict prompt makes it drop the conflict markers of the files it names, keeping both sides,
// unless LEAVE is set.
function resolvingAgentProject(mode: "resolve" | "leave" = "resolve"): Record<string, string> {
  const agent = [
    "#!/bin/sh",
    'prompt="$1"',
    'case "$prompt" in',
    '  "set "*) f=$(echo "$prompt" | cut -d" " -f2); echo "$(echo "$prompt" | cut -d" " -f4)" > "$f" ;;',
    '  "slow set "*) sleep 0.6; f=$(echo "$prompt" | cut -d" " -f3); echo "$(echo "$prompt" | cut -d" " -f5)" > "$f" ;;',
    '  "You worked on task"*)',
    '    files=$(echo "$prompt" | sed -n "s/.*could not merge these files: \\(.*\\)\\.$/\\1/p" | tr "," " ")',
    mode === "leave"
      ? '    echo "looked at $files and left them" ;;'
      : '    for f in $files; do sed -i "/^<<<<<<< /d;/^=======$/d;/^>>>>>>> /d" "$f"; echo "resolved $f"; done ;;',
    '  *) echo "unknown prompt" >&2; exit 9 ;;',
    "esac",
    "",
  ].join("\n");
  return {
    "agent.sh": agent,
    "shared.txt": "base\n",
    ".milestones/config.yaml": 'agent:\n  command: ["sh", "agent.sh"]\non_conflict: agent\n',
  };
}

function conflictingTasks(verify: string): string {
  return [
    "id: m",
    "tasks:",
    "  - { id: one, title: One, agent: set shared.txt to one }",
    `  - { id: two, title: Two, agent: slow set shared.txt to two, verify: "${verify}" }`,
    "  - { id: after, title: After, dependencies: [one, two], run: cat shared.txt > after.txt }",
    "",
  ].join("\n");
}
