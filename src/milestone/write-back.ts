// Comment-preserving edits of a milestone file. Only the fields the engine owns (DESIGN §4 ✎)
// are touched; an existing scalar keeps its quoting style, so a file written in the old
// workflow's double-quoted style stays that way. Every write is atomic.
import fs from "node:fs";
import { isMap, isScalar, isSeq, type Document, type ToStringOptions } from "yaml";
import { writeFileAtomic } from "../store/atomic-write.ts";

/** How to print the document so that untouched lines come out as the user wrote them. */
export function styleOf(text: string): ToStringOptions {
  const padded = (text.match(/[[{] \S/g) ?? []).length;
  const tight = (text.match(/[[{][^\s\]}]/g) ?? []).length;
  // lineWidth 0: never fold a long command onto two lines.
  return { lineWidth: 0, flowCollectionPadding: padded > tight };
}

/** Fields of the file the engine owns (DESIGN §4 ✎): an edit during a run keeps the engine's. */
const ENGINE_FIELDS = ["status", "execution", "progress", "blockers"];
const ENGINE_TASK_FIELDS = ["status", "started_at", "completed_at", "commit"];

type FileStamp = { size: number; mtimeMs: number; ino: number };

export class MilestoneWriter {
  private dirty = false;
  private readonly style: ToStringOptions;
  /** The text on disk as far as this writer knows: what it loaded or last wrote. */
  private known: string;
  private stamp: FileStamp | null;
  /** Set while the file holds a person's edit that is not valid: it is theirs to fix, not ours to overwrite. */
  private held = false;
  bytesWritten = 0;

  constructor(
    private doc: Document,
    private file: string,
    originalText: string,
    /** Called with the file's text when someone else changed it since the last write; the
     *  handler adopts the edit or holds the writer back. */
    private readonly onEdited?: (text: string) => void,
  ) {
    this.style = styleOf(originalText);
    this.known = originalText;
    this.stamp = stampOf(file);
  }

  /** The text this writer last loaded or wrote. */
  get lastText(): string {
    return this.known;
  }

  /** Takes a person's edit of the file as the document from now on, with the engine's own
   *  fields (statuses, progress, blockers) carried over from the document it replaces. */
  adopt(doc: Document, text: string): void {
    for (const key of ENGINE_FIELDS) {
      const value = this.doc.get(key, true);
      if (value !== undefined) doc.set(key, value);
    }
    const tasksBefore = new Map(taskNodes(this.doc).map((t) => [String(t.get("id")), t]));
    for (const task of taskNodes(doc)) {
      const before = tasksBefore.get(String(task.get("id")));
      if (!before) continue;
      for (const field of ENGINE_TASK_FIELDS) {
        const value = before.get(field, true);
        if (value !== undefined) task.set(field, value);
      }
    }
    this.doc = doc;
    this.known = text;
    this.held = false;
    this.dirty = true;
  }

  /** Writes nothing until the next adopt(): the file holds an edit that must be fixed first. */
  hold(text: string): void {
    this.known = text;
    this.held = true;
    this.stamp = stampOf(this.file);
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
    this.noticeEdits();
    if (this.held || !this.dirty) return;
    const text = this.doc.toString(this.style);
    writeFileAtomic(this.file, text, "milestone-write");
    this.known = text;
    this.stamp = stampOf(this.file);
    this.bytesWritten += Buffer.byteLength(text);
    this.dirty = false;
  }

  // A person may edit the file at any time: never write over an edit this writer has not seen.
  private noticeEdits(): void {
    if (!this.onEdited) return;
    const now = stampOf(this.file);
    if (sameStamp(now, this.stamp)) return;
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch {
      return;
    }
    this.stamp = now;
    if (text !== this.known) this.onEdited(text);
  }

  /** Writes the document to a new place and removes the old file (completed milestones move). */
  relocate(file: string): void {
    const old = this.file;
    this.noticeEdits();
    this.file = file;
    this.dirty = true;
    this.held = false;
    this.flush();
    if (old !== file) fs.rmSync(old, { force: true });
  }
}

function taskNodes(doc: Document) {
  const tasks = doc.get("tasks", true);
  return isSeq(tasks) ? tasks.items.filter(isMap) : [];
}

function stampOf(file: string): FileStamp | null {
  try {
    const s = fs.statSync(file);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch {
    return null;
  }
}

const sameStamp = (a: FileStamp | null, b: FileStamp | null) => a?.size === b?.size && a?.mtimeMs === b?.mtimeMs && a?.ino === b?.ino;
