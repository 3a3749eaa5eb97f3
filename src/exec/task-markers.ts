// Every task process carries who it belongs to in its environment. Tasks may use these
// (MM_MILESTONE, MM_TASK, MM_ATTEMPT, MM_SESSION); a resume uses MM_MILESTONE to find processes
// a dead executor left running, even one that died between spawning and recording the pid.
export interface TaskMarkers {
  milestoneId: string;
  taskId: string;
  attempt: number;
  sessionId: string;
}

export function markerEnv(m: TaskMarkers): Record<string, string> {
  return { MM_MILESTONE: m.milestoneId, MM_TASK: m.taskId, MM_ATTEMPT: String(m.attempt), MM_SESSION: m.sessionId };
}
