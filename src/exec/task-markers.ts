// Every task process carries who it belongs to in its environment. Tasks may use these
// (MM_PROJECT, MM_MILESTONE, MM_TASK, MM_ATTEMPT, MM_SESSION); a resume uses MM_PROJECT and
// MM_MILESTONE to find processes a dead executor left running, even one that died between
// spawning and recording the pid. The project is part of it so that another checkout running a
// milestone of the same id is never mistaken for our leftovers.
export interface TaskMarkers {
  /** Absolute project directory. */
  project: string;
  milestoneId: string;
  taskId: string;
  attempt: number;
  sessionId: string;
  /** The engine that started it: while that process lives, its tasks are nobody's leftovers. */
  executorPid: number;
}

export function markerEnv(m: TaskMarkers): Record<string, string> {
  return { MM_PROJECT: m.project, MM_MILESTONE: m.milestoneId, MM_TASK: m.taskId, MM_ATTEMPT: String(m.attempt), MM_SESSION: m.sessionId, MM_EXECUTOR_PID: String(m.executorPid) };
}
