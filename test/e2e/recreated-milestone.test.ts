// Issue 19, item 13: a milestone written again under the id of one that completed is not
// reported "completed" without running anything: execute says why and how to run it, exit 2.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, runCli } from "../helpers/cli.ts";

describe("a milestone recreated under a completed one's id", () => {
  it("is refused with exit 2, the reason and how to run it; under an id of its own, it runs", async () => {
    const file = "id: m\ntasks:\n  - { id: t, title: T, run: echo ran >> \"$MM_PROJECT/ran.txt\" }\n";
    const project = makeProject({ ".milestones/active/m.yaml": file });
    expect((await runCli(["execute", "m", "--cwd", project])).code).toBe(0);
    fs.writeFileSync(path.join(project, ".milestones/active/m.yaml"), file);

    const again = await runCli(["execute", "m", "--cwd", project]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("m was completed before (.milestones/completed/m.yaml)");
    expect(again.stderr).toContain("give it an id of its own: rename .milestones/active/m.yaml to .milestones/active/<new-id>.yaml and set id: <new-id> in it");
    expect(fs.readFileSync(path.join(project, "ran.txt"), "utf8")).toBe("ran\n");

    fs.rmSync(path.join(project, ".milestones/active/m.yaml"));
    fs.writeFileSync(path.join(project, ".milestones/active/m2.yaml"), file.replace("id: m\n", "id: m2\n"));
    const fresh = await runCli(["execute", "m2", "--cwd", project]);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fs.readFileSync(path.join(project, "ran.txt"), "utf8")).toBe("ran\nran\n");
  });
});
