// Human labels for chart events, and identifiers that diagram languages accept.

/** `xstate.done.actor.executor` reads as "executor done"; the raw type stays in the JSON export. */
export function eventLabel(event: string): string {
  if (event === "") return "always";
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(event);
  if (actor) return `${actor[2]} ${actor[1]}`;
  const delay = /^xstate\.after\.(\d+)\./.exec(event);
  if (delay) return `after ${delay[1]}ms`;
  if (event.startsWith("xstate.done.state.")) return "done";
  return event;
}

export function transitionLabel(t: { event: string; guard: string | null }): string {
  return t.guard ? `${eventLabel(t.event)} [${t.guard}]` : eventLabel(t.event);
}

// Words that Mermaid parses as syntax when used as a node id.
const RESERVED = new Set(["end", "state", "note", "class", "classdef", "direction", "style", "graph", "flowchart", "subgraph", "click", "default", "linkstyle"]);

/** Maps arbitrary names to distinct ids of letters, digits and underscores (Mermaid-safe). */
export function safeIds(names: string[], prefix: string): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    let base = name.replace(/[^A-Za-z0-9_]/g, "_");
    if (!/^[A-Za-z]/.test(base) || RESERVED.has(base.toLowerCase())) base = `${prefix}${base}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(name, id);
  }
  return ids;
}
