// Forking from this very process: what Deno uses, where a spawner helper would need permissions
// of its own, and the fallback when the built spawner is missing (running from source on Node).
import type { Launcher, LeaderExit } from "./launcher.ts";
import { startGroup } from "./spawn-group.ts";

export const directLauncher: Launcher = {
  launch(request) {
    let settlePid!: (pid: number | null) => void;
    const pid = new Promise<number | null>((resolve) => (settlePid = resolve));
    const exit = new Promise<LeaderExit>((resolve) =>
      startGroup(request, settlePid, (how) => {
        settlePid(null); // no-op if the pid was already known
        resolve(how);
      }),
    );
    return { pid, exit };
  },
};
