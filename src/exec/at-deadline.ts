// A timer for an absolute deadline (DESIGN §6: deadlines are epoch ms, so they survive resume).

// setTimeout fires at once (with a warning) for delays over 2^31-1 ms, about 24.8 days.
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Call `onDeadline` once at epoch ms `deadline` (at once if past); returns a cancel function. */
export function atDeadline(deadline: number, onDeadline: () => void): () => void {
  let timer: ReturnType<typeof setTimeout>;
  const arm = () => {
    const left = deadline - Date.now();
    if (left <= 0) onDeadline();
    else timer = setTimeout(arm, Math.min(left, MAX_DELAY_MS));
  };
  timer = setTimeout(arm, Math.min(Math.max(deadline - Date.now(), 0), MAX_DELAY_MS));
  return () => clearTimeout(timer);
}
