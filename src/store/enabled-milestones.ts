// After a milestone completes: which active milestones that required it have now every
// requirement met. Unreadable files are passed over here; `validate` reports them.
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import type { Layout } from "./layout.ts";
import { unmetRequirements } from "./unmet-requirements.ts";

export function findEnabledMilestones(layout: Layout, completedId: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(layout.activeDir).filter((n) => n.endsWith(".yaml")).sort();
  } catch {
    return [];
  }
  const enabled: string[] = [];
  for (const name of names) {
    const requires = readRequires(path.join(layout.activeDir, name));
    if (requires.includes(completedId) && unmetRequirements(layout, requires).length === 0) {
      enabled.push(name.slice(0, -".yaml".length));
    }
  }
  return enabled;
}

function readRequires(file: string): string[] {
  try {
    const data = parse(fs.readFileSync(file, "utf8")) as { dependencies?: { requires?: unknown } } | null;
    const requires = data?.dependencies?.requires;
    return Array.isArray(requires) ? requires.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return [];
  }
}
