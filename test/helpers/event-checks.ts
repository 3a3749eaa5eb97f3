// Checks over an event log that prove scheduling promises from the outside.
type Event = { seq: number; event: string; data: Record<string, unknown> };

/** Every task_started comes after task_completed of each of the task's dependencies. */
export function startsAfterDependencies(events: Event[], deps: Record<string, string[]>): string[] {
  const completedAt = new Map<string, number>();
  const violations: string[] = [];
  for (const e of events) {
    const task = String(e.data.task_id);
    if (e.event === "task_completed") completedAt.set(task, e.seq);
    if (e.event === "task_started") {
      for (const dep of deps[task] ?? []) {
        if (!completedAt.has(dep)) violations.push(`${task} started at seq ${e.seq} before ${dep} completed`);
      }
    }
  }
  return violations;
}

/** The largest number of attempts running at once, from the start/end events. */
export function maxOverlap(events: Event[]): number {
  const running = new Set<string>();
  let max = 0;
  for (const e of events) {
    const task = String(e.data.task_id);
    if (e.event === "task_started") running.add(task);
    if (e.event === "task_completed" || e.event === "task_failed" || e.event === "task_retrying") running.delete(task);
    max = Math.max(max, running.size);
  }
  return max;
}

export const eventsOf = (events: Event[], name: string, task?: string) =>
  events.filter((e) => e.event === name && (task === undefined || e.data.task_id === task));
