// Blockers: what a person must fix before a milestone can go on. Plain JSON, kept in the root
// chart's context and projected onto the milestone file's `blockers:` list (DESIGN §4).

/** A blocker as probes report it. */
export interface Blocker {
  type: string;
  detail: string;
  task?: string | null;
  /** One line telling a person what to do about it. */
  fix?: string;
}

/** A blocker as the milestone keeps it: when it was first seen. */
export interface BlockerEntry {
  type: string;
  detail: string;
  task: string | null;
  fix: string | null;
  detected_at: string;
}

/** One blocker per kind and task: a probe finding the same problem again is not news. */
export const blockerKey = (b: Pick<Blocker, "type" | "task">) => `${b.type}\0${b.task ?? ""}`;

export function toEntry(b: Blocker, at: string): BlockerEntry {
  return { type: b.type, detail: b.detail, task: b.task ?? null, fix: b.fix ?? null, detected_at: at };
}

/** The blockers of `found` not yet in `current`. */
export function newBlockers(current: BlockerEntry[], found: Blocker[]): Blocker[] {
  const known = new Set(current.map(blockerKey));
  const fresh: Blocker[] = [];
  for (const b of found) {
    const key = blockerKey(b);
    if (known.has(key)) continue;
    known.add(key);
    fresh.push(b);
  }
  return fresh;
}

/** Blockers re-checked at a resume: those a probe did not find again are cleared. A failed task
 *  stays a blocker until a person retries or skips it, whatever the probes say. */
export function recheckBlockers(current: BlockerEntry[], found: Blocker[]): { kept: BlockerEntry[]; cleared: BlockerEntry[]; added: Blocker[] } {
  const foundKeys = new Set(found.map(blockerKey));
  const kept = current.filter((b) => b.type === "task_failed" || foundKeys.has(blockerKey(b)));
  const cleared = current.filter((b) => !kept.includes(b));
  return { kept, cleared, added: newBlockers(kept, found) };
}
