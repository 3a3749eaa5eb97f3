// The `--inspect` bridge: streams the actors' inspection events to the Stately inspector in a
// browser, through a loopback relay (inspector-relay.ts).
//
// The events go to the relay in-process through @statelyai/inspect's createInspector, not over
// a WebSocket client (createWebSocketInspector): that client reconnects every 5 s for ever when
// a connection fails, and stop() cannot cancel a pending reconnect, so the process would never
// exit. In-process there is no client to leak.
//
//   const inspector = await startInspector({ port: 0 });
//   stderr.write(`inspect the run at ${inspector.url}\n`);
//   const actor = createActor(machine, { inspect: inspector.inspect });
//   …
//   await inspector.stop();
import { createInspector, type StatelyInspectionEvent } from "@statelyai/inspect";
import { configure } from "safe-stable-stringify";
import type { InspectionEvent } from "xstate";
import { startRelay } from "./inspector-relay.ts";

export interface RunningInspector {
  /** The page to open in a browser. */
  url: string;
  /** Pass as `createActor(machine, { inspect })`. */
  inspect: (event: unknown) => void;
  /** Closes the relay and every connection; afterwards nothing keeps the process alive. */
  stop(): Promise<void>;
}

// Snapshots hold actor references, which are cyclic and deep: cut them as the package's own
// WebSocket adapter does.
const stringify = configure({ maximumDepth: 10, circularValue: "[Circular]", bigint: true });

/** Starts the relay on 127.0.0.1:`port` (default 0: any free port). */
export async function startInspector(options: { port?: number } = {}): Promise<RunningInspector> {
  const relay = await startRelay(options.port ?? 0);
  let stopped = false;
  const inspector = createInspector({
    send(event: StatelyInspectionEvent) {
      if (stopped) return;
      relay.broadcast(stringify(event) ?? "null", event.type === "@xstate.actor" ? "registration" : "update");
    },
  });
  return {
    url: relay.url,
    inspect: (event) => inspector.inspect.next?.(event as InspectionEvent),
    async stop() {
      stopped = true;
      inspector.stop();
      await relay.close();
    },
  };
}
