// The blockers agent's `probe` and `runTests` actors, and the checks a start or resume makes
// before any task runs: the disk, the repository, runaway tasks and the project's test command.
import { fromPromise } from "xstate";
import type { ProbeOutput, TestOutput } from "../../machines/agents/blockers.ts";
import type { Blocker, BlockerEntry } from "../milestone/blockers.ts";
import type { PreflightOutput } from "../../machines/milestone.ts";
import type { ResolvedChecks } from "../probes/resolve-checks.ts";
import { probeDisk } from "../probes/disk.ts";
import { probeTestCommand } from "../probes/test-command.ts";
import { findLongRunning, nextLongRunningCheck, type RunningTask } from "../probes/long-running.ts";
import type { GitWork } from "./git-work.ts";
import type { AttemptRegistry } from "./attempts-actor.ts";

const TEST_TIMEOUT_MS = 30 * 60_000;

export interface ProbeDeps {
  projectDir: string;
  checks: ResolvedChecks;
  git: GitWork;
  registry: AttemptRegistry;
  /** The directory of the test command's logs. */
  logDir: string;
}

async function diskBlockers({ projectDir, checks }: ProbeDeps): Promise<Blocker[]> {
  const disk = await probeDisk(projectDir, {
    ...(checks.minFreeMb !== undefined ? { minFreeMb: checks.minFreeMb } : {}),
    ...(checks.minFreePercent !== undefined ? { minFreePercent: checks.minFreePercent } : {}),
  });
  return disk.blockers;
}

export async function runTestCommand(deps: ProbeDeps): Promise<TestOutput> {
  const command = deps.checks.test;
  if (!command) return { ok: true, code: 0, durationMs: 0, blockers: [] };
  const result = await probeTestCommand(deps.projectDir, command, { timeoutMs: TEST_TIMEOUT_MS, logFile: `${deps.logDir}/checks.test.log` });
  return { ok: result.ok, code: result.code, durationMs: result.durationMs, blockers: result.blockers };
}

export function probeActor(deps: ProbeDeps) {
  return fromPromise<ProbeOutput, Record<string, never>>(async () => {
    const now = new Date();
    const running: RunningTask[] = [...deps.registry.started].map(([taskId, s]) => ({ taskId, ...s }));
    const blockers = [...(await diskBlockers(deps)), ...findLongRunning(running, deps.checks.warnAfterMs, now)];
    return { blockers, nextAt: nextLongRunningCheck(running, deps.checks.warnAfterMs, now) };
  });
}

export function runTestsActor(deps: ProbeDeps) {
  return fromPromise<TestOutput, Record<string, never>>(() => runTestCommand(deps));
}

/** The checks before every start and resume (the root chart's `preparing` state). */
export function preflightActor(deps: ProbeDeps, uncommitted: string[]) {
  return fromPromise<PreflightOutput, { blockers: BlockerEntry[] }>(async ({ input }) => {
    const { found, commits } = await deps.git.prepare(uncommitted);
    const world = await diskBlockers(deps);
    // Tests are slow: run again at a resume only to see whether their failure was fixed.
    const tests = input.blockers.some((b) => b.type === "test_failed") ? (await runTestCommand(deps)).blockers : [];
    return { found: [...found, ...world, ...tests], commits };
  });
}
