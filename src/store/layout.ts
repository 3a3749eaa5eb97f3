// Where everything lives under .milestones/ (DESIGN §4). The only module that knows the layout.
import path from "node:path";

export interface Layout {
  project: string;
  root: string;
  config: string;
  activeDir: string;
  completedDir: string;
  logsDir: string;
  sessionsDir: string;
  currentFile: string;
  active(id: string): string;
  completed(id: string): string;
  eventLog(id: string): string;
  taskLogDir(id: string): string;
  taskLog(id: string, task: string, attempt: number): string;
  lock(id: string): string;
  /** The default folder of every milestone's task worktrees (`worktrees.dir` overrides it). */
  worktreesDir: string;
}

export function layout(project: string): Layout {
  const root = path.join(project, ".milestones");
  const activeDir = path.join(root, "active");
  const completedDir = path.join(root, "completed");
  const logsDir = path.join(root, "logs");
  const sessionsDir = path.join(root, "sessions");
  return {
    project,
    root,
    config: path.join(root, "config.yaml"),
    activeDir,
    completedDir,
    logsDir,
    sessionsDir,
    currentFile: path.join(activeDir, "current.txt"),
    active: (id) => path.join(activeDir, `${id}.yaml`),
    completed: (id) => path.join(completedDir, `${id}.yaml`),
    eventLog: (id) => path.join(logsDir, `execution-${id}.jsonl`),
    taskLogDir: (id) => path.join(logsDir, id),
    taskLog: (id, task, attempt) => path.join(logsDir, id, `${task}.${attempt}.log`),
    lock: (id) => path.join(sessionsDir, `${id}.lock`),
    worktreesDir: path.join(root, "worktrees"),
  };
}
