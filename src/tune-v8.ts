// V8 settings for a run, set when it starts: both are read as V8 goes (at each collection, at
// each optimisation), so no command-line flag is needed, and they work under Deno too, whose
// node:v8 passes them to the same V8.
import v8 from "node:v8";

// A long run's engine heap holds a small live set (about 3 KB per task) and a lot of short-lived
// garbage: events, snapshots, log lines. V8's default policy lets the old generation grow to up
// to four times the live set before it collects, which put a 10,000-task run at 200-250 MB of
// RSS, most of it dead objects. A fixed growth of 30 % between full collections keeps it near
// 150 MB for a few more incremental (mostly concurrent) collections: about 60 ms of main-thread
// time in that run. Unlike --max-old-space-size it sets no ceiling, so a larger milestone still
// gets the memory it needs.
const HEAP_GROWTH = "--heap-growing-percent=30";

// TurboFan compiling the engine's hot paths with inlining cost about 0.5 ms of background CPU per
// task in a 1,000-task run, on top of the main thread's 0.9 ms, and on 2 cores that CPU is the
// run's. Without inlining it compiles less: 1,000 `true` tasks -j2, 11 alternating runs, CPU
// 1,470 -> 1,280 ms and wall 1,496 -> 1,418 ms; a 10,000-task run's main thread is 10 % busier
// and its wall time unchanged (it waits on its children most of the time).
const NO_INLINING = "--no-turbo-inlining";

export function tuneV8(): void {
  v8.setFlagsFromString(HEAP_GROWTH);
  v8.setFlagsFromString(NO_INLINING);
}
