// The `checkRequirements` actor (the dependencies agent's check before start): which required
// milestones are not in .milestones/completed/.
import fs from "node:fs";
import { fromPromise } from "xstate";
import type { Layout } from "../store/layout.ts";

export function checkRequirementsActor(layout: Layout) {
  return fromPromise<{ unmet: string[] }, { requires: string[] }>(async ({ input }) => ({
    unmet: input.requires.filter((r) => !fs.existsSync(layout.completed(r))),
  }));
}
