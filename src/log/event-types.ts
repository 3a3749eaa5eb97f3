// One line of the event log (DESIGN §5). `seq` grows by one per line for the life of a milestone.
export interface LoggedEvent {
  v: 1;
  seq: number;
  ts: string;
  milestone_id: string;
  session_id: string;
  event: string;
  data: Record<string, unknown>;
}

/** Events that must be on disk before anything depends on them (DESIGN §5 write path). */
export const DURABLE_EVENTS: ReadonlySet<string> = new Set([
  "milestone_activated",
  "task_started",
  "tasks_interrupted",
  "task_completed",
  "task_failed",
  "milestone_paused",
  "milestone_blocked",
  "milestone_completed",
  "milestone_failed",
  "milestone_cancelled",
]);
