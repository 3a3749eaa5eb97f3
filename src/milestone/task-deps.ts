// A task's dependencies: `dependencies` and the older `depends_on`, read as one de-duplicated list.
import type { TaskFile } from "./schema.ts";

export function taskDeps(task: Pick<TaskFile, "dependencies" | "depends_on">): string[] {
  return [...new Set([...(task.dependencies ?? []), ...(task.depends_on ?? [])])];
}

/** The keys a dependency list may live under, in the order they are read. */
export const DEPENDENCY_KEYS = ["dependencies", "depends_on"] as const;
