// The generic chart → diagram code on a chart with nesting, guards, delays and eventless steps.
import { describe, expect, it } from "vitest";
import { setup } from "xstate";
import { chartGraph } from "../../src/inspect/chart-graph.ts";
import { safeIds } from "../../src/inspect/labels.ts";
import { chartToMermaid } from "../../src/inspect/to-mermaid.ts";
import { chartToDot } from "../../src/inspect/to-dot.ts";

const machine = setup({ guards: { ready: () => true } }).createMachine({
  id: "job",
  initial: "queued",
  states: {
    queued: { always: { guard: "ready", target: "run" } },
    run: {
      initial: "working",
      states: {
        working: { after: { 1000: "waiting" }, on: { DONE: "#job.end" } },
        waiting: { on: { RETRY: "working" } },
      },
      on: { CANCEL: "end" },
    },
    end: { type: "final" },
  },
});

describe("chartGraph", () => {
  const graph = chartGraph(machine, { current: "waiting" });

  it("lists nested states by path and every kind of transition", () => {
    expect(graph.initial).toBe("queued");
    expect(graph.current).toBe("run.waiting");
    expect(graph.states.map((s) => [s.id, s.parent, s.type])).toEqual([
      ["queued", null, "atomic"],
      ["run", null, "compound"],
      ["run.working", "run", "atomic"],
      ["run.waiting", "run", "atomic"],
      ["end", null, "final"],
    ]);
    expect(graph.transitions).toEqual(
      expect.arrayContaining([
        { from: "queued", to: "run", event: "", guard: "ready" },
        { from: "run", to: "end", event: "CANCEL", guard: null },
        { from: "run.working", to: "end", event: "DONE", guard: null },
        { from: "run.waiting", to: "run.working", event: "RETRY", guard: null },
      ]),
    );
    expect(graph.transitions.find((t) => t.from === "run.working" && t.to === "run.waiting")?.event).toMatch(/^xstate\.after\.1000\./);
  });

  it("draws compound states as Mermaid blocks and DOT clusters", () => {
    const mermaid = chartToMermaid(graph);
    expect(mermaid).toContain("  state run {\n    [*] --> run_working\n");
    expect(mermaid).toContain("  queued --> run : always [ready]");
    expect(mermaid).toContain("    run_working --> run_waiting : after 1000ms");
    expect(mermaid).toContain("  s_end --> [*]");
    expect(mermaid).toMatch(/class run_waiting current\n$/);
    const dot = chartToDot(graph);
    expect(dot).toContain('subgraph "cluster_run" {');
    // An edge from a cluster starts at a leaf inside it and is clipped at the cluster's border.
    expect(dot).toContain('"run.working" -> "end" [label="CANCEL", ltail="cluster_run"]');
  });
});

it("safeIds maps names to distinct Mermaid-safe ids", () => {
  const ids = safeIds(["api-pages", "api_pages", "end", "9lives"], "t_");
  expect([...ids.values()]).toEqual(["api_pages", "api_pages_2", "t_end", "t_9lives"]);
});
