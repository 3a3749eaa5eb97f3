// Comment-preserving edits of a milestone file. Only the fields the engine owns (DESIGN §4 ✎)
// are touched; an existing scalar keeps its quoting style, so a file written in the old
// workflow's double-quoted style stays that way. Every write is atomic.
import fs from "node:fs";
import { isScalar, type Document, type ToStringOptions } from "yaml";
import { writeFileAtomic } from "../store/atomic-write.ts";

/** How to print the document so that untouched lines come out as the user wrote them. */
export function styleOf(text: string): ToStringOptions {
  const padded = (text.match(/[[{] \S/g) ?? []).length;
  const tight = (text.match(/[[{][^\s\]}]/g) ?? []).length;
  // lineWidth 0: never fold a long command onto two lines.
  return { lineWidth: 0, flowCollectionPadding: padded > tight };
}

export class MilestoneWriter {
  private dirty = false;
  private readonly style: ToStringOptions;
  bytesWritten = 0;

  constructor(
    private readonly doc: Document,
    private file: string,
    originalText: string,
  ) {
    this.style = styleOf(originalText);
  }

  get path(): string {
    return this.file;
  }

  /** Sets a value at a path of the document, creating maps on the way. */
  set(path: Array<string | number>, value: unknown): void {
    const node = this.doc.getIn(path, true);
    if (isScalar(node) && (value === null || typeof value !== "object")) {
      if (node.value === value) return;
      node.value = value;
    } else {
      this.doc.setIn(path, value);
    }
    this.dirty = true;
  }

  setTask(index: number, field: string, value: unknown): void {
    this.set(["tasks", index, field], value);
  }

  get(path: Array<string | number>): unknown {
    return this.doc.getIn(path);
  }

  /** Writes the document if anything changed since the last write. */
  flush(): void {
    if (!this.dirty) return;
    const text = this.doc.toString(this.style);
    writeFileAtomic(this.file, text, "milestone-write");
    this.bytesWritten += Buffer.byteLength(text);
    this.dirty = false;
  }

  /** Writes the document to a new place and removes the old file (completed milestones move). */
  relocate(file: string): void {
    const old = this.file;
    this.file = file;
    this.dirty = true;
    this.flush();
    if (old !== file) fs.rmSync(old, { force: true });
  }
}
