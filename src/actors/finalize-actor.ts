// The `finalize` actor: a completed milestone's file moves to .milestones/completed/, which
// satisfies the milestones that require it; returns those whose requirements are now all met.
import fs from "node:fs";
import { fromPromise } from "xstate";
import type { Layout } from "../store/layout.ts";
import type { MilestoneWriter } from "../milestone/write-back.ts";
import { findEnabledMilestones } from "../store/enabled-milestones.ts";
import { readTextOrNull } from "../store/read-text.ts";

export function finalizeActor(layout: Layout, writer: MilestoneWriter) {
  return fromPromise<{ enables: string[] }, { milestoneId: string }>(async ({ input }) => {
    const id = input.milestoneId;
    writer.set(["status"], "completed");
    writer.set(["execution", "completed_at"], new Date().toISOString());
    writer.set(["progress", "percentage"], 100);
    fs.mkdirSync(layout.completedDir, { recursive: true });
    writer.relocate(layout.completed(id));
    if (readTextOrNull(layout.currentFile)?.trim() === id) fs.rmSync(layout.currentFile, { force: true });
    return { enables: findEnabledMilestones(layout, id) };
  });
}

