import { describe, expect, it } from "vitest";
import { findCycle, topologicalOrder } from "../../src/milestone/task-graph.ts";

const chain = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `t${i}`, deps: i ? [`t${i - 1}`] : [] }));

describe("findCycle", () => {
  it("returns null for a graph without cycles", () => {
    expect(findCycle([{ id: "a", deps: [] }, { id: "b", deps: ["a"] }, { id: "c", deps: ["a", "b"] }])).toBeNull();
  });

  it("returns a two-task cycle with the first id repeated at the end", () => {
    expect(findCycle([{ id: "a", deps: ["b"] }, { id: "b", deps: ["a"] }])).toEqual(["a", "b", "a"]);
  });

  it("returns only the tasks on the cycle, not the path that led to it", () => {
    const tasks = [
      { id: "start", deps: ["x"] },
      { id: "x", deps: ["y"] },
      { id: "y", deps: ["z"] },
      { id: "z", deps: ["x"] },
    ];
    expect(findCycle(tasks)).toEqual(["x", "y", "z", "x"]);
  });

  it("reports a self-dependency as a cycle of one", () => {
    expect(findCycle([{ id: "a", deps: ["a"] }])).toEqual(["a", "a"]);
  });

  it("ignores dependencies on unknown ids", () => {
    expect(findCycle([{ id: "a", deps: ["missing"] }])).toBeNull();
  });

  it("does not mistake a diamond for a cycle", () => {
    const tasks = [
      { id: "top", deps: ["l", "r"] },
      { id: "l", deps: ["base"] },
      { id: "r", deps: ["base"] },
      { id: "base", deps: [] },
    ];
    expect(findCycle(tasks)).toBeNull();
  });

  it("handles a 10,000-task chain without recursion and finds a cycle closing it", () => {
    const tasks = chain(10_000);
    expect(findCycle(tasks)).toBeNull();
    tasks[0] = { id: "t0", deps: ["t9999"] };
    const cycle = findCycle(tasks)!;
    expect(cycle).toHaveLength(10_001);
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
  });
});

describe("topologicalOrder", () => {
  it("puts every task after the tasks it depends on, keeping file order among ready tasks", () => {
    const tasks = [
      { id: "c", deps: ["a", "b"] },
      { id: "a", deps: [] },
      { id: "b", deps: ["a"] },
      { id: "d", deps: [] },
    ];
    expect(topologicalOrder(tasks)).toEqual(["a", "d", "b", "c"]);
  });

  it("counts a dependency listed twice once", () => {
    expect(topologicalOrder([{ id: "b", deps: ["a", "a"] }, { id: "a", deps: [] }])).toEqual(["a", "b"]);
  });

  it("orders a reversed 10,000-task chain", () => {
    const order = topologicalOrder(chain(10_000).reverse());
    expect(order[0]).toBe("t0");
    expect(order[9_999]).toBe("t9999");
  });

  it("throws on a cycle", () => {
    expect(() => topologicalOrder([{ id: "a", deps: ["b"] }, { id: "b", deps: ["a"] }])).toThrow(/cycle/);
  });
});
