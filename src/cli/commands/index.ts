import type { Command } from "../command.ts";
import { keepYoungGenerationSmall } from "../../tune-v8.ts";

export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
  /** Started before `load`, to overlap with loading the command's modules. */
  prepare?: () => void;
}

// Before a run loads anything: V8's young generation stops growing (tune-v8.ts), so that reading
// the milestone does not grow it; and the task spawner, a process of its own, Python or Node
// (exec/spawner-launcher.ts), starts while the engine loads and checks the milestone, which takes
// its start-up off the way to the first task (Python needs 20-25 ms to be ready).
const prepareRun = () => {
  keepYoungGenerationSmall();
  void import("../../exec/current-launcher.ts").then((m) => m.warmUpLauncher());
};

// Commands load lazily so that `--version` and `status` do not pay for the engine's imports.
export const COMMANDS: Record<string, CommandEntry> = {
  init: { summary: "create .milestones/ with a config and an example milestone", load: async () => (await import("./init.ts")).command },
  new: { summary: "create a milestone file from a template", load: async () => (await import("./new.ts")).command },
  validate: { summary: "check milestone files without running anything", load: async () => (await import("./validate.ts")).command },
  list: { summary: "list milestones with status and progress", load: async () => (await import("./list.ts")).command },
  status: { summary: "show a milestone's status, tasks and blockers", load: async () => (await import("./status.ts")).command },
  execute: { summary: "run a milestone's tasks", load: async () => (await import("./execute.ts")).command, prepare: prepareRun },
  export: { summary: "export the lifecycle chart or the task graph as mermaid, dot, json or svg", load: async () => (await import("./export.ts")).command },
  resume: { summary: "continue a paused, blocked or interrupted milestone", load: async () => (await import("./resume.ts")).command, prepare: prepareRun },
  pause: { summary: "ask the executor of a milestone to pause", load: async () => (await import("./pause.ts")).command },
  retry: { summary: "give a failed task a fresh set of attempts", load: async () => (await import("./retry.ts")).command },
  skip: { summary: "mark a task skipped so its dependents may run", load: async () => (await import("./skip.ts")).command },
  clean: { summary: "remove a milestone's leftover task worktrees and task branches", load: async () => (await import("./clean.ts")).command },
  log: { summary: "print a milestone's event log", load: async () => (await import("./log.ts")).command },
  schema: { summary: "print the JSON Schema of the milestone file format", load: async () => (await import("./schema.ts")).command },
};
