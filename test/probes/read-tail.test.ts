// The end of a command's output as a blocker shows it: no terminal control sequences.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTail } from "../../src/probes/read-tail.ts";

let file: string;
beforeEach(() => {
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mm-tail-")), "out.log");
});
afterEach(() => {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

describe("readTail", () => {
  it("drops colours, keeps a progress bar's last frame, and turns CRLF into LF", () => {
    fs.writeFileSync(file, "\x1b[31mFAIL\x1b[0m a.test.ts\r\n 10%\r 50%\r100%\n\n\n");
    expect(readTail(file, { maxBytes: 4096, maxLines: 20 })).toBe("FAIL a.test.ts\n100%");
  });

  it("is empty for a missing or empty file", () => {
    expect(readTail(file, { maxBytes: 4096, maxLines: 20 })).toBe("");
    fs.writeFileSync(file, "");
    expect(readTail(file, { maxBytes: 4096, maxLines: 20 })).toBe("");
  });
});
