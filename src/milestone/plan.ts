// What a validated milestone file and the project config mean for the engine: for every task
// the command to run, its working directory, environment, timeout and retries, with the
// milestone's defaults and the config filled in. Pure apart from resolving paths.
import path from "node:path";
import { InputError, type Problem } from "../errors.ts";
import type { LoadedMilestone } from "./load-milestone.ts";
import type { Plan, PlanTask, TaskCommand } from "./plan-types.ts";
import type { ConfigFile, TaskFile } from "./schema.ts";
import { durationMs } from "./duration.ts";
import { taskDeps } from "./task-deps.ts";
import { taskPrompt } from "./task-prompt.ts";
import { problemAt } from "./yaml-source.ts";

export { parseAgentCommand } from "./parse-agent-command.ts";

export interface PlanOverrides {
  /** From `--agent CMD`; wins over `agent.command` in the config. */
  agentCommand?: string[];
}

const AGENT_HOW_TO =
  'set agent.command in .milestones/config.yaml (e.g. command: ["claude", "-p"]) or pass --agent CMD';

export function buildPlan(loaded: LoadedMilestone, config: ConfigFile, projectDir: string, overrides: PlanOverrides = {}): Plan {
  const milestone = loaded.data;
  const defaults = milestone.defaults ?? {};
  const agentCommand = overrides.agentCommand ?? config.agent?.command ?? null;
  const problems: Problem[] = [];
  // Most tasks share their working directory and set no variables of their own: each directory is
  // resolved once and the defaults' variables converted once (a resume of 10,000 tasks builds this
  // plan before its first task starts). The plan is never mutated, so tasks may share them.
  const directories = new Map<string, string>();
  const directory = (cwd: string) => {
    let resolved = directories.get(cwd);
    if (resolved === undefined) directories.set(cwd, (resolved = path.resolve(projectDir, cwd)));
    return resolved;
  };
  const defaultEnv = stringValues(defaults.env ?? {});

  const tasks = milestone.tasks.map((task, index): PlanTask => {
    const command = taskCommand(task, agentCommand);
    if (!command) problems.push(missingAgentProblem(loaded, task, index));
    const timeout = task.timeout ?? defaults.timeout ?? config.timeout;
    return {
      id: task.id,
      title: task.title,
      index,
      deps: taskDeps(task),
      command: command ?? { kind: "agent", argv: [] },
      verify: task.verify ?? null,
      cwd: directory(task.cwd ?? defaults.cwd ?? "."),
      env: task.env ? stringValues({ ...defaults.env, ...task.env }) : defaultEnv,
      timeoutMs: timeout === undefined ? null : durationMs(timeout),
      retries: task.retries ?? defaults.retries ?? config.retries ?? 0,
      onFailure: task.on_failure ?? milestone.on_failure ?? config.on_failure ?? "block",
      isolation: task.isolation ?? milestone.isolation ?? config.isolation ?? "worktree",
      ...((task.on_conflict ?? milestone.on_conflict ?? config.on_conflict) === "agent" ? resolverOf(loaded, task, index, agentCommand, problems) : {}),
      status: task.status ?? "pending",
      ...(task.paths ? { paths: task.paths } : {}),
    };
  });
  if (problems.length) throw new InputError(problems);

  return {
    milestoneId: milestone.id,
    title: milestone.title ?? milestone.id,
    file: loaded.file,
    requires: milestone.dependencies?.requires ?? [],
    tasks,
  };
}

/** The task's command, or null when it needs an agent and none is configured. */
function taskCommand(task: TaskFile, agentCommand: string[] | null): TaskCommand | null {
  if (task.run !== undefined) return { kind: "shell", script: task.run };
  if (!agentCommand) return null;
  return { kind: "agent", argv: [...agentCommand, task.agent ?? taskPrompt(task)] };
}

// `on_conflict: agent` hands conflicts to the agent command: without one there is nobody to.
function resolverOf(loaded: LoadedMilestone, task: TaskFile, index: number, agentCommand: string[] | null, problems: Problem[]): { resolver?: string[] } {
  if (agentCommand) return { resolver: agentCommand };
  problems.push(problemAt(loaded, ["tasks", index], `task '${task.id}' has on_conflict: agent, but no agent command is configured: ${AGENT_HOW_TO}`));
  return {};
}

function missingAgentProblem(loaded: LoadedMilestone, task: TaskFile, index: number): Problem {
  if (task.agent !== undefined) {
    return problemAt(loaded, ["tasks", index, "agent"], `task '${task.id}' has an agent prompt but no agent command is configured: ${AGENT_HOW_TO}`);
  }
  return problemAt(
    loaded,
    ["tasks", index],
    `task '${task.id}' has no run or agent, so its title and description go to the agent command, but none is configured: ${AGENT_HOW_TO}`,
  );
}

function stringValues(env: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}
