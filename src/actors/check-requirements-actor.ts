// The `checkRequirements` actor (the dependencies agent's check before start): which required
// milestones are not in .milestones/completed/.
import { fromPromise } from "xstate";
import type { Layout } from "../store/layout.ts";
import { unmetRequirements } from "../store/unmet-requirements.ts";

export function checkRequirementsActor(layout: Layout) {
  return fromPromise<{ unmet: string[] }, { requires: string[] }>(async ({ input }) => ({
    unmet: unmetRequirements(layout, input.requires),
  }));
}
