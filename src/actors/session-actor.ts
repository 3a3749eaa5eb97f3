// The `session` agent: turns SIGINT/SIGTERM/SIGHUP (a closed terminal) into a pause (running
// tasks get a grace period to finish), a second signal into stopping them at once, and keeps the
// lock's heartbeat going.
import process from "node:process";
import { fromCallback } from "xstate";
import { interval } from "../rx.ts";
import { HEARTBEAT_MS, type HeldLock } from "../store/lock.ts";

export function sessionActor(lock: HeldLock, graceMs: number) {
  return fromCallback<{ type: "stop" }, { milestoneId: string; sessionId: string }>(({ sendBack }) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) sendBack({ type: "PAUSE", reason: signal, graceUntil: new Date(Date.now() + graceMs).toISOString() });
      else sendBack({ type: "STOP_NOW" });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.on("SIGHUP", onSignal);
    const heartbeat = interval(HEARTBEAT_MS).subscribe(() => lock.heartbeat());
    return () => {
      heartbeat.unsubscribe();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.off("SIGHUP", onSignal);
    };
  });
}
