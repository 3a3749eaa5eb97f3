// The agents as the running machine knows them: the root actor's children while in_progress.
// Read at each redraw rather than subscribed to, because the children come and go with the state.
import type { AnyActorRef } from "xstate";
import type { AgentView } from "./dashboard-state.ts";

type Child = { getSnapshot(): { status: string; value?: unknown; context?: Record<string, unknown> } } | undefined;

const AGENTS = ["executor", "progress", "session"] as const;

export function agentsFromActor(root: AnyActorRef): AgentView[] {
  const children = (root.getSnapshot().children ?? {}) as Record<string, Child>;
  return AGENTS.map((name) => {
    const child = children[name];
    if (!child) return { name, state: "stopped", detail: "" };
    const snapshot = child.getSnapshot();
    if (snapshot.status !== "active") return { name, state: snapshot.status, detail: "" };
    const context = snapshot.context ?? {};
    switch (name) {
      case "executor": {
        const running = Array.isArray(context.running) ? context.running.length : 0;
        const ready = Array.isArray(context.ready) ? context.ready.length : 0;
        return { name, state: topState(snapshot.value), detail: `${running} running, ${ready} ready` };
      }
      case "progress": {
        const counts = (context.counts ?? {}) as Record<string, number>;
        return { name, state: "active", detail: `${counts.completed ?? 0}/${context.total ?? 0}` };
      }
      case "session":
        return { name, state: "active", detail: `pid ${process.pid}` };
    }
  });
}

// A nested state ({ draining: "timed" }) shows as its top-level name: the chart's inner
// states are not the person's business.
function topState(value: unknown): string {
  if (value !== null && typeof value === "object") return Object.keys(value)[0] ?? "";
  return String(value);
}
