// A milestone may start once every milestone it requires is in .milestones/completed/.
import fs from "node:fs";
import type { Layout } from "./layout.ts";

/** The required milestones that are not completed yet, in the order given. */
export function unmetRequirements(layout: Layout, requires: readonly string[]): string[] {
  return requires.filter((r) => !fs.existsSync(layout.completed(r)));
}
