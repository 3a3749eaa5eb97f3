// The `waitUntil` actor: sends deadline.reached at an absolute time. Charts keep deadlines as
// ISO times in context, so a restored snapshot waits only for what is left (DESIGN §6.3).
import { fromCallback } from "xstate";
import { timer } from "rxjs";

export const waitUntilActor = fromCallback<{ type: "stop" }, { at: string }>(({ input, sendBack }) => {
  const subscription = timer(new Date(input.at)).subscribe(() => sendBack({ type: "deadline.reached" }));
  return () => subscription.unsubscribe();
});
