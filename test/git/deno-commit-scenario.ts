// Run under Deno by deno-compat.test.ts: the git library from its .ts sources on a repository
// the test prepared, printing what it did as JSON for the test to check against the git CLI.
import fs from "node:fs";
import path from "node:path";
import { commitTask } from "../../src/git/commit-task.ts";
import { ensureBranch } from "../../src/git/ensure-branch.ts";
import { findConflicts } from "../../src/git/find-conflicts.ts";
import { findRepository } from "../../src/git/find-repository.ts";
import { resolveAuthor } from "../../src/git/resolve-author.ts";

const dir = process.argv[2] ?? Deno.args[0];
const repo = (await findRepository(dir))!;
const branch = await ensureBranch(repo, "milestone/deno");
const author = await resolveAuthor(repo);
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};
const input = { milestoneId: "deno", title: "under deno", projectDir: dir, author, branch: "milestone/deno" };
write("src/a.ts", "export const a = 2;\n");
write("notes.md", "not this task's\n");
const first = await commitTask(repo, { ...input, taskId: "a", paths: ["src/**"] });
// A same-size rewrite right after the commit: Deno reports millisecond mtimes and whole-second ctimes.
write("src/a.ts", "export const a = 3;\n");
const second = await commitTask(repo, { ...input, taskId: "b" });
const again = await commitTask(repo, { ...input, taskId: "a" });
console.log(JSON.stringify({ branch, author, first, second, again, conflicts: await findConflicts(repo) }));

declare const Deno: { args: string[] };
