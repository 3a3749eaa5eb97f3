/** Events that must be on disk before anything depends on them (DESIGN §5 write path). */
export const DURABLE_EVENTS = new Set([
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
