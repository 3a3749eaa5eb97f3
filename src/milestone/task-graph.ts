// The task graph as pure functions over { id, deps }. Iterative and linear in tasks + edges:
// a milestone may hold 10,000 tasks in one chain, which recursion would not survive.
// Dependencies on ids that are not in the list are ignored here; the loader reports them.

export interface GraphTask {
  id: string;
  deps: readonly string[];
}

const DONE = -1;

/**
 * A dependency cycle as the ids along it, first id repeated at the end, or null when there is
 * none. Each id depends on the next: ['a', 'b', 'a'] means a waits for b and b waits for a.
 */
export function findCycle(tasks: readonly GraphTask[]): string[] | null {
  const deps = depsById(tasks);
  // For a task on the current path: its position in `path`; DONE once fully explored.
  const state = new Map<string, number>();
  const path: string[] = [];
  const nextDep: number[] = [];
  for (const start of deps.keys()) {
    if (state.has(start)) continue;
    state.set(start, 0);
    path.push(start);
    nextDep.push(0);
    while (path.length) {
      const top = path.length - 1;
      const id = path[top];
      const list = deps.get(id)!;
      if (nextDep[top] === list.length) {
        state.set(id, DONE);
        path.pop();
        nextDep.pop();
        continue;
      }
      const dep = list[nextDep[top]++];
      if (!deps.has(dep)) continue;
      const seen = state.get(dep);
      if (seen === undefined) {
        state.set(dep, path.length);
        path.push(dep);
        nextDep.push(0);
      } else if (seen !== DONE) {
        return [...path.slice(seen), dep];
      }
    }
  }
  return null;
}

/**
 * Every id once, each after all the tasks it depends on; tasks that become ready together keep
 * their file order. Throws if the graph has a cycle (check with findCycle first).
 */
export function topologicalOrder(tasks: readonly GraphTask[]): string[] {
  const deps = depsById(tasks);
  const waitingFor = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const [id, list] of deps) {
    const known = new Set(list.filter((d) => deps.has(d)));
    waitingFor.set(id, known.size);
    for (const d of known) {
      const users = dependents.get(d);
      if (users) users.push(id);
      else dependents.set(d, [id]);
    }
  }
  const order = [...deps.keys()].filter((id) => waitingFor.get(id) === 0);
  for (let i = 0; i < order.length; i++) {
    for (const user of dependents.get(order[i]) ?? []) {
      const left = waitingFor.get(user)! - 1;
      waitingFor.set(user, left);
      if (left === 0) order.push(user);
    }
  }
  if (order.length !== deps.size) throw new Error("topologicalOrder: the task graph has a cycle");
  return order;
}

// The first task with a given id wins; duplicate ids are the loader's to report.
function depsById(tasks: readonly GraphTask[]): Map<string, readonly string[]> {
  const deps = new Map<string, readonly string[]>();
  for (const t of tasks) if (!deps.has(t.id)) deps.set(t.id, t.deps);
  return deps;
}
