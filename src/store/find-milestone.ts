// Finds a milestone's file by id: active first, then completed. An unknown id is a user error
// that lists the ids there are.
import fs from "node:fs";
import { UsageError } from "../errors.ts";
import type { Layout } from "./layout.ts";
import { idProblem } from "../milestone/id-rules.ts";

export interface FoundMilestone {
  id: string;
  file: string;
  place: "active" | "completed";
}

export function listIds(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((n) => n.endsWith(".yaml"))
      .map((n) => n.slice(0, -".yaml".length))
      .sort();
  } catch {
    return [];
  }
}

export function findMilestone(layout: Layout, id: string): FoundMilestone {
  const problem = idProblem(id);
  if (problem !== null) throw new UsageError(`'${id}' is not a milestone id: ${problem}`);
  if (fs.existsSync(layout.active(id))) return { id, file: layout.active(id), place: "active" };
  if (fs.existsSync(layout.completed(id))) return { id, file: layout.completed(id), place: "completed" };
  const known = [...listIds(layout.activeDir), ...listIds(layout.completedDir)];
  throw new UsageError(
    `no milestone '${id}' in ${layout.activeDir} or ${layout.completedDir}`,
    known.length ? `known milestones: ${known.join(", ")}` : "create one with 'milestone-machine new <id>' (or 'init' for a first project)",
  );
}
