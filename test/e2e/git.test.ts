// The git agent through the CLI: a milestone branch with one commit per task, read back with
// the real git CLI; exactly one commit per task after kill -9 at each point of a landing; the
// person's own unfinished merge is no concern of the run.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeProject, readEvents, runCli } from "../helpers/cli.ts";
import { eventsOf } from "../helpers/event-checks.ts";
import { commitsOf, git, makeGitProject } from "../helpers/git-cli.ts";

const IDS = ["a", "b", "c", "d", "e", "f", "g", "h"];

function eightTasks(): string {
  const tasks = IDS.map((t) =>
    [`  - id: ${t}`, `    title: Write ${t}`, `    run: sleep 0.$((RANDOM % 3)); echo ${t} > out/${t}.txt`, `    paths: [out/${t}.txt]`].join("\n"),
  );
  return ["id: m", "title: Eight files", "tasks:", ...tasks, ""].join("\n");
}

const milestoneFile = (project: string, place = "completed") => parse(fs.readFileSync(path.join(project, `.milestones/${place}/m.yaml`), "utf8"));

describe("git agent", () => {
  it("eight tasks at concurrency 4 give eight commits on milestone/m, each holding exactly its file", async () => {
    const project = makeGitProject({ ".milestones/active/m.yaml": eightTasks(), "out/.keep": "" });
    const base = git(project, ["rev-parse", "HEAD"]);
    const r = await runCli(["execute", "m", "--cwd", project, "--concurrency", "4"]);
    expect(r.code, r.stderr).toBe(0);

    // The person's checkout stays where it was.
    expect(git(project, ["symbolic-ref", "--short", "HEAD"])).toBe("main");
    expect(git(project, ["rev-parse", "main"])).toBe(base);
    const commits = commitsOf(project, `${base}..milestone/m`);
    expect(commits).toHaveLength(8);
    for (const c of commits) {
      expect(c.files).toEqual([`out/${c.task}.txt`]);
      expect(c.subject).toBe(`feat(milestone-m): Complete task: Write ${c.task}`);
      expect(git(project, ["log", "-1", "--format=%(trailers:key=Milestone,valueonly)", c.sha]).trim()).toBe("m");
      expect(git(project, ["log", "-1", "--format=%an <%ae>", c.sha])).toBe("Test Author <author@example.test>");
    }
    expect(commits.map((c) => c.task).sort()).toEqual(IDS);
    git(project, ["fsck", "--strict"]);
    // Nothing a task wrote reached the person's files; the run's own state is ignored.
    expect(git(project, ["status", "--porcelain", "--", "out"])).toBe("");
    expect(fs.readdirSync(path.join(project, "out"))).toEqual([".keep"]);

    const events = readEvents(project, "m");
    const committed = eventsOf(events, "task_committed");
    expect(committed).toHaveLength(8);
    // Each commit is recorded after its task completed, and dependents never start first.
    for (const e of committed) expect(e.seq).toBeGreaterThan(eventsOf(events, "task_completed", String(e.data.task_id))[0].seq);
    const shaOf = new Map(commits.map((c) => [c.task, c.sha]));
    for (const e of committed) expect(e.data.sha).toBe(shaOf.get(String(e.data.task_id)));

    const file = milestoneFile(project);
    expect(file.progress.commits_count).toBe(8);
    expect(typeof file.progress.last_commit_date).toBe("string");
    const status = JSON.parse((await runCli(["status", "m", "--json", "--cwd", project])).stdout);
    for (const t of status.tasks) expect(t.commit).toBe(shaOf.get(t.id));
  });

  it("a task without paths commits what changed, a task that changed nothing makes no commit, ignored files stay out", async () => {
    const project = makeGitProject({
      ".gitignore": "*.tmp\n",
      ".milestones/active/m.yaml": [
        "id: m",
        "tasks:",
        "  - id: write",
        "    title: Write and delete",
        "    run: mkdir -p deep/er && echo x > deep/er/new.txt && echo junk > scratch.tmp && rm gone.txt",
        "  - id: nothing",
        "    title: Changes nothing",
        "    run: 'true'",
        "    dependencies: [write]",
        "",
      ].join("\n"),
      "gone.txt": "bye\n",
    });
    const base = git(project, ["rev-parse", "HEAD"]);
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    const commits = commitsOf(project, `${base}..milestone/m`);
    expect(commits.map((c) => c.task)).toEqual(["write"]);
    expect(commits[0].files).toContain("deep/er/new.txt");
    expect(commits[0].files).toContain("gone.txt");
    expect(commits[0].files).not.toContain("scratch.tmp");
    expect(commits[0].files.some((f) => f.startsWith(".milestones/logs/") || f.startsWith(".milestones/sessions/"))).toBe(false);
    const none = eventsOf(readEvents(project, "m"), "task_committed", "nothing");
    expect(none[0].data).toMatchObject({ sha: null, reason: "no changes" });
  });

  it("outside a work tree, or with --no-git, the run says so in one line and makes no commit", async () => {
    const plain = makeProject({ ".milestones/active/m.yaml": "id: m\ntasks:\n  - id: t\n    title: T\n    run: echo hi > hi.txt\n" });
    const r = await runCli(["execute", "m", "--cwd", plain]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter((l) => l.includes("no commits"))).toEqual([expect.stringContaining("not a git repository")]);
    expect(fs.existsSync(path.join(plain, ".git"))).toBe(false);

    const repo = makeGitProject({ ".milestones/active/m.yaml": "id: m\ntasks:\n  - id: t\n    title: T\n    run: echo hi > hi.txt\n" });
    const head = git(repo, ["rev-parse", "HEAD"]);
    const r2 = await runCli(["execute", "m", "--cwd", repo, "--no-git"]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toContain("no commits (--no-git)");
    expect(git(repo, ["rev-parse", "HEAD"])).toBe(head);
    expect(git(repo, ["branch", "--list", "milestone/m"])).toBe("");
  });

  for (const point of ["after-task-commit", "before-merge-ref", "after-merge"]) {
    it(`a run killed at ${point} of the third landing resumes with exactly one commit per task, none lost`, async () => {
      const project = makeGitProject({ ".milestones/active/m.yaml": eightTasks(), "out/.keep": "" });
      const base = git(project, ["rev-parse", "HEAD"]);
      const killed = await runCli(["execute", "m", "--cwd", project, "--concurrency", "4"], { env: { MM_CRASH_AT: `${point}:3` } });
      expect(killed.signal).toBe("SIGKILL");
      expect(commitsOf(project, `${base}..milestone/m`).length).toBe(point === "after-merge" ? 3 : 2);

      const r = await runCli(["resume", "m", "--cwd", project]);
      expect(r.code, r.stderr).toBe(0);
      const commits = commitsOf(project, `${base}..milestone/m`);
      expect(commits.map((c) => c.task).sort()).toEqual(IDS);
      for (const c of commits) {
        expect(c.files).toEqual([`out/${c.task}.txt`]);
        expect(git(project, ["show", `${c.sha}:out/${c.task}.txt`])).toBe(c.task);
      }
      if (point === "after-merge") {
        // The landing that was done but not logged is found on the branch, not made again.
        const recovered = eventsOf(readEvents(project, "m"), "task_committed").filter((e) => e.data.recovered);
        expect(recovered.some((e) => e.data.existing === true)).toBe(true);
      }
      expect(git(project, ["worktree", "list"]).split("\n")).toHaveLength(1);
      git(project, ["fsck", "--strict"]);
    });
  }

  it("the person's unfinished merge in their checkout neither stops the run nor is touched by it", async () => {
    const project = makeGitProject({ ".milestones/active/m.yaml": eightTasks(), "out/.keep": "", "shared.txt": "base\n" });
    git(project, ["checkout", "-q", "-b", "other"]);
    fs.writeFileSync(path.join(project, "shared.txt"), "other\n");
    git(project, ["commit", "-q", "-am", "other side"]);
    git(project, ["checkout", "-q", "main"]);
    fs.writeFileSync(path.join(project, "shared.txt"), "main\n");
    git(project, ["commit", "-q", "-am", "main side"]);
    git(project, ["merge", "other"], { allowFailure: true });
    expect(git(project, ["diff", "--name-only", "--diff-filter=U"])).toBe("shared.txt");
    const head = git(project, ["rev-parse", "HEAD"]);
    const conflicted = fs.readFileSync(path.join(project, "shared.txt"), "utf8");

    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    expect(commitsOf(project, `${head}..milestone/m`)).toHaveLength(8);
    expect(git(project, ["diff", "--name-only", "--diff-filter=U"])).toBe("shared.txt");
    expect(fs.readFileSync(path.join(project, "shared.txt"), "utf8")).toBe(conflicted);
    expect(fs.existsSync(path.join(project, ".git/MERGE_HEAD"))).toBe(true);
    expect(git(project, ["rev-parse", "HEAD"])).toBe(head);
  });

  it("a checkpoint commits a running task's work on its own branch; the milestone branch gets one commit for the task", async () => {
    const project = makeGitProject({
      ".milestones/config.yaml": "git:\n  checkpoint_interval: 300ms\n  checkpoint_files: 2\n",
      ".milestones/active/m.yaml": [
        "id: m",
        "tasks:",
        "  - id: slow",
        "    title: Writes many files slowly",
        "    run: for i in 1 2 3 4 5; do echo $i > w$i.txt; done; sleep 1.5",
        "",
      ].join("\n"),
    });
    const base = git(project, ["rev-parse", "HEAD"]);
    const r = await runCli(["execute", "m", "--cwd", project]);
    expect(r.code, r.stderr).toBe(0);
    const auto = eventsOf(readEvents(project, "m"), "auto_commit");
    expect(auto.length).toBeGreaterThanOrEqual(1);
    expect(auto[0].data).toMatchObject({ task_id: "slow", branch: "milestone/m+slow" });
    const sha = String(auto[0].data.sha);
    expect(git(project, ["log", "-1", "--format=%s", sha])).toBe("checkpoint(milestone-m): work in progress of slow");
    expect(git(project, ["show", "--name-only", "--format=", sha]).split("\n").sort()).toEqual(["w1.txt", "w2.txt", "w3.txt", "w4.txt", "w5.txt"]);
    const commits = commitsOf(project, `${base}..milestone/m`);
    expect(commits.map((c) => c.task)).toEqual(["slow"]);
    expect(commits[0].files).toEqual(["w1.txt", "w2.txt", "w3.txt", "w4.txt", "w5.txt"]);
    expect(git(project, ["merge-base", "--is-ancestor", sha, "milestone/m"], { allowFailure: true })).toBe("");
    expect(git(project, ["branch", "--list", "milestone/m+slow"])).toBe("");
  });
});
