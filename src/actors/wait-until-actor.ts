// The `waitUntil` actor: sends `deadline.reached` (or the event its input names, where one chart
// waits for several deadlines at once) at an absolute time. Charts keep deadlines as ISO times
// in context, so a restored snapshot waits only for what is left (DESIGN §6.3).
import { fromCallback } from "xstate";
import type { WaitUntilInput } from "../../machines/provided-later.ts";
import { timer } from "../rx.ts";

export const waitUntilActor = fromCallback<{ type: "stop" }, WaitUntilInput>(({ input, sendBack }) => {
  const subscription = timer(new Date(input.at)).subscribe(() => sendBack({ type: input.event ?? "deadline.reached" }));
  return () => subscription.unsubscribe();
});
