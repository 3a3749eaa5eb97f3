// Charts name their side effects; src/runtime.ts provides them with machine.provide(). Until
// then a named action or actor fails loudly, so a chart run without the world is never
// mistaken for one that did something.
import { fromCallback } from "xstate";
import type { JournalEntry } from "./journal-entry.ts";

export function providedLater(name: string): never {
  throw new Error(`${name} is provided by src/runtime.ts`);
}

/** The `record` action every chart declares: one event-log entry, written by src/log. */
export const record = (_: unknown, _entry: JournalEntry): void => providedLater("the record action");

/** Waits for an absolute ISO time, then sends `deadline.reached` (or `event`) to its parent. */
export interface WaitUntilInput {
  at: string;
  event?: string;
}
export const waitUntil = fromCallback<{ type: "stop" }, WaitUntilInput>(() => providedLater("the waitUntil actor"));
