// Kept equal to package.json's version by test/e2e/cli-basics.test.ts.
export const VERSION = "0.1.0";
