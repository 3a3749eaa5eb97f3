// V8 settings for a run on Node, set when `execute` or `resume` starts (cli/commands/index.ts) or
// once it has loaded what it runs (runtime.ts): each is read as V8 goes (at each collection, at
// each optimisation), so no command-line flag is needed.
// Under Deno they change nothing: its node:v8 setFlagsFromString leaves V8's flags as they are
// (a `%` natives-syntax probe stays a syntax error after setting --allow-natives-syntax). Given
// on Deno's command line instead (--v8-flags), any of them made 1,000 `true` tasks ~100 ms
// slower (1,148 -> 1,239 ms for --no-turbo-inlining alone, 7 alternating runs; V8's code cache
// is keyed on its flags), for no memory saved: Deno runs with its own defaults.
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

// The young generation starts with 1 MB semi-spaces and V8 doubles them, up to 16 MB, whenever
// enough objects have survived since the last doubling: in a long run they always reach 16 MB,
// 34 MB of RSS for space the engine's garbage (dead within a task) does not need. The maximum
// (--max-semi-space-size) is read only at start-up, but the growth factor at each doubling, so a
// factor of 1 keeps them at the size they have when the run starts. 10,000 tasks -j2, 5
// alternating runs: peak RSS 152 -> 118 MB, wall 9,675 -> 9,499 ms, CPU 7,470 -> 7,050 ms
// (fewer live objects to copy per scavenge); 1,000 tasks: 99 -> 71 MB, wall 1,346 -> 1,331 ms.
const NO_YOUNG_GROWTH = "--semi-space-growth-factor=1";

/** Set once the milestone, log and snapshot are loaded. While everything read survives, the 30 %
 *  growth would run a full collection for every 30 % the live set grows: with these two set
 *  before loading, a resume of a 10,000-task run started its first task 605 ms after its start
 *  instead of 538 (9 alternating resumes). */
export function tuneV8(): void {
  v8.setFlagsFromString(HEAP_GROWTH);
  v8.setFlagsFromString(NO_INLINING);
}

/** Set before the milestone is read, whose parsing would otherwise grow the young generation. */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString(NO_YOUNG_GROWTH);
}
