// Model-based tests of the lifecycle chart: xstate/graph walks the chart from `planned` with a
// sample of every event it handles, and the generated paths must reach every state and take
// every transition the chart defines. A state or transition added without a way to reach it
// (or without a sample event below that makes its guard pass) fails here.
import { describe, expect, it } from "vitest";
import { fromCallback, fromPromise, getNextTransitions, initialTransition, transition, type AnyStateNode, type AnyTransitionDefinition, type SnapshotFrom } from "xstate";
import { getShortestPaths } from "xstate/graph";
import { milestoneMachine, STOP_STATES, type MilestoneInput, type PreflightOutput, type PublishOutput } from "../../machines/milestone.ts";
import type { TaskEntry } from "../../src/milestone/readiness.ts";
import { chartGraph } from "../../src/inspect/chart-graph.ts";

// Harmless stand-ins for what src/runtime.ts provides. The traversal never starts actors (it
// computes snapshots only), but a stand-in that throws would turn any slip into a crash.
const model = milestoneMachine.provide({
  actions: { record: () => {} },
  actors: {
    checkRequirements: fromPromise(async () => ({ unmet: [] as string[] })),
    session: fromCallback(() => {}),
    finalize: fromPromise(async () => ({ enables: [] as string[] })),
    preflight: fromPromise(async (): Promise<PreflightOutput> => ({ found: [], commits: [] })),
    publish: fromPromise(async (): Promise<PublishOutput> => ({ pushed: false, reason: "off" })),
  },
});
type Snapshot = SnapshotFrom<typeof model>;
type AnyEvent = { type: string; [key: string]: unknown };

const task = (status: TaskEntry["status"], onFailure: TaskEntry["onFailure"] = "block"): TaskEntry => ({ id: "build", deps: [], retries: 0, onFailure, status, attempts: 1 });
const input: MilestoneInput = {
  milestoneId: "demo",
  sessionId: "s1",
  tasks: [task("pending")],
  requires: ["base"],
  concurrency: 1,
  backoffMs: 10,
  blockers: [],
  checks: { intervalMs: 1000, testOn: "never", testIntervalMs: 1000 },
  git: { checkpointIntervalMs: null },
};
const disk = { type: "disk_low", detail: "1 % free" };
const done = (actor: string, output: unknown): AnyEvent => ({ type: `xstate.done.actor.${actor}`, output, actorId: actor });
const error = (actor: string): AnyEvent => ({ type: `xstate.error.actor.${actor}`, error: new Error("boom"), actorId: actor });

// One sample per outcome the chart distinguishes: each guard passing and each guard failing.
// Event types not listed here are sent as bare `{ type }`.
const SAMPLES: AnyEvent[] = [
  { type: "PAUSE", reason: "Ctrl-C", graceUntil: "2030-01-01T00:00:00.000Z" },
  { type: "BLOCK", blockers: [disk] },
  { type: "PLAN_UPDATED", tasks: [task("pending")], added: [], changed: ["build"], removed: [], ignored: [] },
  { type: "PLAN_INVALID", problems: ["m.yaml:3:5: must not be empty"] },
  done("preflight", { found: [], commits: [] }),
  done("preflight", { found: [disk], commits: [] }),
  error("preflight"),
  done("publish", { pushed: false, reason: "off" }),
  done("publish", { pushed: true, remote: "origin", branch: "milestone/demo", sha: "abc" }),
  done("publish", { pushed: false, reason: "failed", blocker: { type: "push_failed", detail: "rejected" } }),
  error("publish"),
  done("dependencies", { unmet: [] }),
  done("dependencies", { unmet: ["base"] }),
  error("dependencies"),
  done("executor", { drained: true, tasks: [task("pending")] }),
  done("executor", { drained: false, tasks: [task("failed", "block")] }),
  done("executor", { drained: false, tasks: [task("failed", "fail")] }),
  done("executor", { drained: false, tasks: [task("completed")] }),
  done("finalize", { enables: ["next"] }),
  error("finalize"),
];

/** The events to try in a snapshot: samples for every event type one of its transitions handles. */
function eventsFor(snapshot: Snapshot): AnyEvent[] {
  const types = [...new Set(getNextTransitions(snapshot).map((t) => t.eventType))].filter((type) => type !== "");
  return types.flatMap((type) => {
    const samples = SAMPLES.filter((e) => e.type === type);
    return samples.length ? samples : [{ type }];
  });
}

// The graph utilities run every step in one mock actor system, so entering `in_progress` a second
// time on another branch would register its agents' systemIds twice and throw. xstate's pure
// transition functions give each step a fresh system.
const walkable: typeof model = Object.create(model, {
  getInitialSnapshot: { value: (_scope: unknown, start: MilestoneInput) => initialTransition(model, start)[0] },
  transition: { value: (snapshot: Snapshot, event: AnyEvent) => transition(model, snapshot, event as never)[0] },
});

const statePaths = getShortestPaths(walkable, {
  input,
  events: eventsFor as never,
  // States are told apart by their value: context (task lists, error text) would only multiply
  // identical nodes of the diagram.
  // Whether blockers are recorded decides where the executor's end leads, so it is told apart too.
  serializeState: (snapshot) => JSON.stringify([snapshot.value, snapshot.context.blockers.length > 0]),
});

/** Every state path extended by one step with each event its end state handles. */
const transitionSteps = statePaths.flatMap((path) =>
  eventsFor(path.state).map((event) => ({ path, event, taken: model.getTransitionData(path.state, event as never) })),
);

function stateNodes(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...stateNodes(child)]);
}
const chartStates = stateNodes(model.root);
const chartTransitions = chartStates.flatMap((node) => [...[...node.transitions.values()].flat(), ...(node.always ?? [])]);
const stateId = (node: AnyStateNode) => node.path.join(".");
const describeTransition = (t: AnyTransitionDefinition) =>
  `${stateId(t.source)} --${t.eventType || "always"}--> ${(t.target ?? [t.source]).map(stateId).join(", ")}`;

function activeIds(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [`${prefix}${value}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => [`${prefix}${key}`, ...activeIds(child, `${prefix}${key}.`)]);
}

describe("the lifecycle chart, walked by xstate/graph", () => {
  it("has a path to every state of the chart", () => {
    const reached = new Set(statePaths.flatMap((p) => activeIds(p.state.value)));
    expect([...reached].sort()).toEqual(chartStates.map(stateId).sort());
  });

  it("takes every transition of the chart on some path", () => {
    const taken = new Set(transitionSteps.flatMap((s) => s.taken));
    const missing = chartTransitions.filter((t) => !taken.has(t)).map(describeTransition);
    expect(missing).toEqual([]);
  });

  it("each path replays step by step to the state it claims", () => {
    for (const path of statePaths) {
      let snapshot = initialTransition(model, input)[0];
      for (const step of path.steps) {
        // The first step of every path is the machine's own start (`xstate.init`).
        if ((step.event as AnyEvent).type !== "xstate.init") snapshot = transition(model, snapshot, step.event as never)[0];
        expect(snapshot.value).toEqual(step.state.value);
      }
      expect(snapshot.value).toEqual(path.state.value);
    }
  });

  it("only final states end the actor, and every stop state is a state of the chart", () => {
    for (const { state } of statePaths) {
      const final = chartStates.find((n) => n.key === state.value)?.type === "final";
      expect(state.status, JSON.stringify(state.value)).toBe(final ? "done" : "active");
    }
    for (const stop of STOP_STATES) expect(chartStates.map((n) => n.key)).toContain(stop);
  });

  it("the exported diagram shows exactly the chart's transitions", () => {
    const exported = chartGraph(model).transitions.map((t) => `${t.from} --${t.event || "always"}--> ${t.to}`);
    expect(exported.sort()).toEqual(chartTransitions.map(describeTransition).sort());
  });
});
