// A statechart as plain data (states and labelled transitions), read from the machine's own
// StateNode tree, so the exported diagrams cannot drift from the chart that runs.
import type { AnyStateMachine, AnyStateNode } from "xstate";

export interface ChartState {
  /** Path from the root joined with dots, e.g. `in_progress` or `running.waiting`. */
  id: string;
  key: string;
  /** Id of the enclosing compound or parallel state; null at the top level. */
  parent: string | null;
  type: "atomic" | "compound" | "parallel" | "final" | "history";
  /** Initial child of a compound state. */
  initial: string | null;
  /** Ids of the actors this state invokes while it is active. */
  invokes: string[];
}

export interface ChartTransition {
  from: string;
  /** Equal to `from` for a transition without target (actions only). */
  to: string;
  /** The event type; "" for an eventless (`always`) transition. */
  event: string;
  guard: string | null;
}

export interface ChartGraph {
  id: string;
  initial: string | null;
  states: ChartState[];
  transitions: ChartTransition[];
  /** The state to highlight, or null. */
  current: string | null;
}

export function chartGraph(machine: AnyStateMachine, options: { current?: string | null } = {}): ChartGraph {
  const states: ChartState[] = [];
  const transitions: ChartTransition[] = [];
  const visit = (node: AnyStateNode, parent: string | null) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      const id = stateId(child);
      states.push({
        id,
        key: child.key,
        parent,
        type: child.type,
        initial: initialOf(child),
        invokes: child.invoke.map((i) => i.id),
      });
      const definitions = [...[...child.transitions.values()].flat(), ...(child.always ?? [])];
      for (const t of definitions) {
        for (const target of t.target ?? [child]) {
          transitions.push({ from: id, to: stateId(target), event: t.eventType, guard: guardName(t.guard) });
        }
      }
      visit(child, id);
    }
  };
  visit(machine.root, null);
  const current = options.current ?? null;
  return {
    id: machine.id,
    initial: initialOf(machine.root),
    states,
    transitions,
    current: states.find((s) => s.id === current || s.key === current)?.id ?? null,
  };
}

const stateId = (node: AnyStateNode) => node.path.join(".");

function initialOf(node: AnyStateNode): string | null {
  if (node.type !== "compound") return null;
  const target = node.initial?.target?.[0];
  return target ? stateId(target) : null;
}

// Guards are named in setup({ guards }) (a string or { type }); an inline function only has its name.
function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === "string") return guard;
  if (typeof guard === "function") return guard.name || "guard";
  if (typeof guard === "object" && "type" in guard) return String((guard as { type: unknown }).type);
  return "guard";
}
