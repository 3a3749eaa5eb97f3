// A process killed between writing a temp file and renaming it (see atomic-write.ts) leaves
// `.<name>.<pid>.tmp` behind. The target file is intact either way; the temp file is debris
// once its writer is dead, and is removed before a run starts.
import fs from "node:fs";
import path from "node:path";
import type { Layout } from "./layout.ts";
import { processAlive } from "./process-alive.ts";

const TEMP = /^\..+\.(\d+)\.tmp$/;

export function removeStaleTemps(layout: Layout): string[] {
  const removed: string[] = [];
  for (const dir of [layout.activeDir, layout.completedDir, layout.sessionsDir]) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = TEMP.exec(name);
      if (!match || Number(match[1]) === process.pid || processAlive(Number(match[1]))) continue;
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    }
  }
  return removed;
}
