// The exit codes of DESIGN §7. Scripts rely on them, so they never change meaning.
export const EXIT = {
  completed: 0,
  failed: 1,
  badInput: 2,
  blocked: 3,
  paused: 4,
  locked: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
