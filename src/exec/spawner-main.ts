// The spawner process (see spawner-launcher.ts for why it exists) in Node, for where spawner.py
// cannot run: forks task process groups for the engine. Reads SpawnerRequest lines on stdin,
// writes SpawnerReply lines on stdout. It imports nothing of the engine, so its heap, and with it
// the cost of each fork, stays small.
import process from "node:process";
import { startGroup } from "./spawn-group.ts";
import type { SpawnerInit, SpawnerReply, SpawnerRequest } from "./spawner-protocol.ts";

function reply(message: SpawnerReply): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

let partial = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  const lines = (partial + chunk).split("\n");
  partial = lines.pop()!;
  for (const line of lines) {
    const message = JSON.parse(line) as SpawnerRequest | SpawnerInit;
    // The init line: this process inherited that environment already, unlike spawner.py, which
    // a shim (pyenv, asdf) may have started with an edited one.
    if (!("id" in message)) continue;
    const { id, ...request } = message;
    startGroup(
      request,
      (pid) => reply({ id, pid }),
      (exit) => reply("error" in exit ? { id, error: exit.error } : { id, exit }),
    );
  }
});

// Requests are read from here on (the engine sends a spawner requests before this only when no
// other spawner is ready).
process.stdout.write(`${JSON.stringify({ ready: true } satisfies SpawnerReply)}\n`);

// The engine closed the pipe: it finished, or died (even by SIGKILL). Leave without touching the
// tasks; each is its own group, and a resume deliberately finds and kills what a dead run left.
// process.exit, because the child handles of running tasks would otherwise keep us alive.
process.stdin.on("end", () => process.exit(0));
process.stdout.on("error", () => process.exit(0));
