// Issue 19, item 12: an id can never name another milestone's files or a branch git refuses.
// `execution-m.jsonl` was a valid id whose task logs went to logs/execution-m.jsonl/, the event
// log of milestone `m`, which then died with EISDIR.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runCli } from "../helpers/cli.ts";

describe("ids that would name other files", () => {
  for (const id of ["execution-m.jsonl", "m.lock", "a..b", "trailing."]) {
    it(`refuses the milestone id '${id}', on the command line and in its file (at line and column), exit 2, writing nothing`, async () => {
      const project = makeProject({
        ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: t, title: T, run: 'true' }\n",
        [`.milestones/active/${id}.yaml`]: `id: ${id}\ntasks:\n  - { id: t, title: T, run: 'true' }\n`,
      });
      const r = await runCli(["execute", id, "--cwd", project]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`'${id}' is not a milestone id: `);
      expect(r.stderr).toContain("neither contain '..' nor end in '.', '.lock' or '.jsonl'");
      const checked = await runCli(["validate", "--cwd", project]);
      expect(checked.code).toBe(2);
      expect(checked.stdout + checked.stderr).toContain(`${id}.yaml:1:5: id: must start with a letter or digit`);
      expect(fs.existsSync(path.join(project, ".milestones/logs"))).toBe(false);
      // The milestone whose files the id would have named runs as ever.
      expect((await runCli(["execute", "m", "--cwd", project])).code).toBe(0);
    });
  }

  it("refuses a task id git could not put in a branch name", async () => {
    const project = makeProject({ ".milestones/active/m.yaml": "id: m\ntasks:\n  - { id: t.lock, title: T, run: 'true' }\n" });
    const r = await runCli(["validate", "m", "--cwd", project]);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain("m.yaml:3:11: tasks[0].id: ");
  });
});
