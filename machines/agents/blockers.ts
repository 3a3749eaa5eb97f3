// The blockers agent: runs the probes on a schedule of absolute deadlines (disk, git conflicts,
// runaway tasks) and the project's test command after each finished task or on an interval,
// and reports what it finds to the root as BLOCK. The probes themselves are the `probe` and
// `runTests` actors that src/runtime.ts provides.
import { assign, enqueueActions, fromPromise, setup } from "xstate";
import type { Blocker } from "../../src/milestone/blockers.ts";
import { errorText } from "../error-text.ts";
import { providedLater, record, waitUntil } from "../provided-later.ts";

export interface BlockersAgentInput {
  /** How often the probes run. */
  intervalMs: number;
  /** When the test command runs: after each completed task, on an interval, or never (none set). */
  testOn: "task" | "interval" | "never";
  testIntervalMs: number;
}

export interface BlockersAgentContext extends BlockersAgentInput {
  probeAt: string;
  testAt: string | null;
  /** A task finished while the tests ran: run them again for its changes. */
  testAgain: boolean;
}

export interface ProbeOutput {
  blockers: Blocker[];
  /** When a probe needs to look again before the next interval (a task about to run too long). */
  nextAt: string | null;
}

export interface TestOutput {
  ok: boolean;
  code: number | null;
  durationMs: number;
  blockers: Blocker[];
}

export type BlockersAgentEvent =
  | { type: "blockers.taskCompleted"; taskId: string }
  | { type: "probe.due" }
  | { type: "test.due" };

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const earliest = (a: string, b: string | null) => (b !== null && Date.parse(b) < Date.parse(a) ? b : a);

export const blockersMachine = setup({
  types: {
    input: {} as BlockersAgentInput,
    context: {} as BlockersAgentContext,
    events: {} as BlockersAgentEvent,
  },
  actions: {
    record,
    recordProbeFailure: enqueueActions(({ enqueue, event }) => {
      enqueue({ type: "record", params: { event: "probe_failed", data: { detail: errorText((event as unknown as { error: unknown }).error) } } });
    }),
    // Both probe and test results carry the blockers they found.
    report: enqueueActions(({ enqueue, event }) => {
      const { blockers } = (event as unknown as { output: { blockers: Blocker[] } }).output;
      if (blockers.length) enqueue.sendParent({ type: "BLOCK", blockers });
    }),
  },
  actors: {
    probe: fromPromise<ProbeOutput, Record<string, never>>(() => providedLater("the probe actor")),
    runTests: fromPromise<TestOutput, Record<string, never>>(() => providedLater("the runTests actor")),
    waitUntil,
  },
  guards: {
    testsAfterTasks: ({ context }) => context.testOn === "task",
    testsOnInterval: ({ context }) => context.testOn === "interval",
    testAgain: ({ context }) => context.testAgain,
  },
}).createMachine({
  id: "blockers",
  context: ({ input }) => ({ ...input, probeAt: inMs(input.intervalMs), testAt: null, testAgain: false }),
  type: "parallel",
  states: {
    probes: {
      initial: "waiting",
      states: {
        waiting: {
          invoke: { id: "probeTimer", src: "waitUntil", input: ({ context }) => ({ at: context.probeAt, event: "probe.due" }) },
          on: { "probe.due": "probing" },
        },
        probing: {
          invoke: {
            id: "probe",
            src: "probe",
            input: () => ({}),
            onDone: {
              target: "waiting",
              actions: [
                "report",
                assign(({ context, event }) => ({ probeAt: earliest(inMs(context.intervalMs), event.output.nextAt) })),
              ],
            },
            onError: {
              target: "waiting",
              actions: [
                "recordProbeFailure",
                assign(({ context }) => ({ probeAt: inMs(context.intervalMs) })),
              ],
            },
          },
        },
      },
    },
    tests: {
      initial: "choosing",
      states: {
        choosing: {
          always: [
            { guard: "testsAfterTasks", target: "idle" },
            { guard: "testsOnInterval", target: "timed", actions: assign(({ context }) => ({ testAt: inMs(context.testIntervalMs) })) },
            { target: "off" },
          ],
        },
        idle: { on: { "blockers.taskCompleted": "testing" } },
        timed: {
          invoke: { id: "testTimer", src: "waitUntil", input: ({ context }) => ({ at: context.testAt!, event: "test.due" }) },
          on: { "test.due": "testing" },
        },
        testing: {
          entry: assign({ testAgain: false }),
          on: { "blockers.taskCompleted": { guard: "testsAfterTasks", actions: assign({ testAgain: true }) } },
          invoke: {
            id: "tests",
            src: "runTests",
            input: () => ({}),
            onDone: {
              target: "tested",
              actions: [
                { type: "record", params: ({ event }) => ({ event: "tests_checked", data: { ok: event.output.ok, code: event.output.code, duration_ms: event.output.durationMs } }) },
                "report",
              ],
            },
            onError: {
              target: "tested",
              actions: "recordProbeFailure",
            },
          },
        },
        tested: {
          always: [
            { guard: "testAgain", target: "testing" },
            { guard: "testsOnInterval", target: "timed", actions: assign(({ context }) => ({ testAt: inMs(context.testIntervalMs) })) },
            { target: "idle" },
          ],
        },
        off: {},
      },
    },
  },
});
