// Process execution for tasks (DESIGN §2 src/exec): the public surface of this folder.
export type { AttemptHandle, AttemptResult, AttemptFailure, AttemptSpec } from "./attempt-types.ts";
export { startAttempt } from "./run-attempt.ts";
export { closeLauncher, unknownSpawnerSetting, warmUpLauncher } from "./current-launcher.ts";
export { killGroup, groupAlive } from "./kill-group.ts";
export { describeFailure } from "./describe-failure.ts";
export { atDeadline } from "./at-deadline.ts";
