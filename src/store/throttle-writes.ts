// Writes that follow a stream of changes, one at most per pause (RxJS audit: the last change of
// a pause is always written). The pause grows with the cost of the last write, so writing never
// takes more than about a twentieth of a run, and with its size, a second per megabyte, so a
// large file is not rewritten several times a second: a 10,000-task milestone file is 1.8 MB.
import { audit, timer, type Observable, type Subscription } from "../rx.ts";

/** `write` returns the bytes it wrote (0 when it had nothing to write). */
export function throttleWrites(changed$: Observable<void>, minIntervalMs: number, write: () => number): Subscription {
  let lastWriteMs = 0;
  let lastBytes = 0;
  return changed$.pipe(audit(() => timer(Math.max(minIntervalMs, 20 * lastWriteMs, lastBytes / 1000)))).subscribe(() => {
    const start = performance.now();
    const bytes = write();
    lastWriteMs = performance.now() - start;
    if (bytes > 0) lastBytes = bytes;
  });
}
