// After a milestone completes: which active milestones that required it have now every
// requirement met. Unreadable files are passed over here; `validate` reports them.
import fs from "node:fs";
import { parseData } from "../milestone/yaml-source.ts";
import type { Layout } from "./layout.ts";
import { unmetRequirements } from "./unmet-requirements.ts";
import { listIds } from "./find-milestone.ts";

export function findEnabledMilestones(layout: Layout, completedId: string): string[] {
  return listIds(layout.activeDir).filter((id) => {
    const requires = readRequires(layout.active(id));
    return requires.includes(completedId) && unmetRequirements(layout, requires).length === 0;
  });
}

function readRequires(file: string): string[] {
  try {
    const data = parseData(fs.readFileSync(file, "utf8")) as { dependencies?: { requires?: unknown } } | null;
    const requires = data?.dependencies?.requires;
    return Array.isArray(requires) ? requires.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
}
