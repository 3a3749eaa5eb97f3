// `.milestones/sessions/<session>.yaml`: the human-readable session record in the old bash
// workflow's shape, for people and the scripts they already have.
import fs from "node:fs";
import path from "node:path";
import { toPlainYaml } from "../milestone/plain-yaml-write.ts";
import { writeFileAtomic } from "../store/atomic-write.ts";
import type { Layout } from "../store/layout.ts";

export interface SessionRecord {
  sessionId: string;
  milestoneId: string;
  status: string;
  reason: string;
  progress: { tasks_completed: number; total_tasks: number; percentage: number };
  nextTasks: string[];
}

export function writeSessionRecord(layout: Layout, r: SessionRecord): void {
  const head = gitHead(layout.project);
  const record = {
    session_id: r.sessionId,
    milestone: r.milestoneId,
    status: r.status,
    saved_at: new Date().toISOString(),
    save_reason: r.reason,
    context: { working_directory: layout.project, git_branch: head.branch, git_commit: head.commit },
    execution_state: { status: r.status, ...r.progress },
    resume_points: { next_tasks: r.nextTasks, command: `milestone-machine resume ${r.milestoneId}` },
  };
  fs.mkdirSync(layout.sessionsDir, { recursive: true });
  writeFileAtomic(path.join(layout.sessionsDir, `${r.sessionId}.yaml`), toPlainYaml(record));
}

// Read-only look at .git for the record; everything that changes the repository is the git agent's.
function gitHead(project: string): { branch: string | null; commit: string | null } {
  try {
    const gitDir = path.join(project, ".git");
    const head = fs.readFileSync(path.join(gitDir, "HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) return { branch: null, commit: head };
    const ref = head.slice(5);
    const branch = ref.replace(/^refs\/heads\//, "");
    const loose = path.join(gitDir, ref);
    if (fs.existsSync(loose)) return { branch, commit: fs.readFileSync(loose, "utf8").trim() };
    const packed = fs.readFileSync(path.join(gitDir, "packed-refs"), "utf8").split("\n").find((l) => l.endsWith(` ${ref}`));
    return { branch, commit: packed?.split(" ")[0] ?? null };
  } catch {
    return { branch: null, commit: null };
  }
}
