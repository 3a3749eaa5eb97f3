// The milestone file's writer: comment-preserving edits of the fields the engine owns (DESIGN §4
// ✎), each write atomic, and never over a person's edit it has not seen. Plain files are edited
// line by line (plain-yaml-edit.ts), any other YAML through the yaml library's Document
// (yaml-document-edit.ts); an edit the line editor cannot make moves the file to the Document.
import { createHash } from "node:crypto";
import fs from "node:fs";
import type { Document } from "yaml";
import { writeFileAtomic } from "../store/atomic-write.ts";
import { PlainYamlEditor, type EditPath, type EditableYaml } from "./plain-yaml-edit.ts";
import { DocumentYaml } from "./yaml-document-edit.ts";

/** Fields of the file the engine owns (DESIGN §4 ✎): an edit during a run keeps the engine's. */
const ENGINE_FIELDS = ["status", "execution", "progress", "blockers"];
const ENGINE_TASK_FIELDS = ["status", "started_at", "completed_at", "commit"];

type FileStamp = { size: number; mtimeMs: number; ino: number };

export interface WriterOptions {
  /** Called with the file's text when someone else changed it since the last write; the
   *  handler adopts the edit or holds the writer back. */
  onEdited?: (text: string) => void;
  /** The text's yaml Document if the caller has one, used when the text is not plain. */
  doc?: () => Document;
  /** The caller read the text with the plain YAML reader: it is plain, no need to check again. */
  plain?: boolean;
  /** Called when the file is gone at a write (deleted during the run): the write brings it back
   *  from the engine's state, and the caller says so. */
  onDeleted?: () => void;
}

/** An editor for `text`: the line editor where it can, else a Document (`doc` if already built). */
function editorFor(text: string, doc?: () => Document, plain?: boolean): EditableYaml {
  return PlainYamlEditor.from(text, plain) ?? new DocumentYaml(text, doc?.());
}

export class MilestoneWriter {
  private dirty = false;
  private editor: EditableYaml;
  /** A digest of the text on disk as far as this writer knows (what it loaded or last wrote).
   *  Not the text: kept from one write to the next, a 10,000-task file's text would outlive the
   *  young generation and fill the old one with a copy per write. */
  private known: string;
  private stamp: FileStamp | null;
  /** Set while the file holds a person's edit that is not valid: it is theirs to fix, not ours to overwrite. */
  private held = false;
  bytesWritten = 0;

  private readonly onEdited?: (text: string) => void;
  private readonly onDeleted?: () => void;

  constructor(
    private file: string,
    originalText: string,
    options: WriterOptions = {},
  ) {
    this.onEdited = options.onEdited;
    this.onDeleted = options.onDeleted;
    this.editor = editorFor(originalText, options.doc, options.plain);
    this.known = digest([originalText]);
    this.stamp = stampOf(file);
  }

  /** Whether `text` is what this writer last loaded, wrote or was handed (adopt, hold). */
  knows(text: string): boolean {
    return digest([text]) === this.known;
  }

  /** Whether a stat of the file is that of this writer's last write (or of what it loaded). */
  wrote(stats: FileStamp): boolean {
    return sameStamp(stats, this.stamp);
  }

  /** Takes a person's edit of the file as the text from now on, with the engine's own fields
   *  (statuses, progress, blockers) carried over from the text it replaces. */
  adopt(text: string, doc?: () => Document, plain?: boolean): void {
    const before = this.editor;
    this.editor = editorFor(text, doc, plain);
    for (const key of ENGINE_FIELDS) {
      const value = before.get([key]);
      if (value !== undefined && !sameData(value, this.editor.get([key]))) this.set([key], value);
    }
    const tasksBefore = new Map((asList(before.get(["tasks"])) ?? []).map((t) => [String(t.id), t]));
    asList(this.editor.get(["tasks"]))?.forEach((task, index) => {
      const old = tasksBefore.get(String(task.id));
      if (!old) return;
      for (const field of ENGINE_TASK_FIELDS) {
        if (old[field] !== undefined && !sameData(old[field], task[field])) this.setTask(index, field, old[field]);
      }
    });
    this.known = digest([text]);
    this.held = false;
    this.dirty = true;
  }

  /** Writes nothing until the next adopt(): the file holds an edit that must be fixed first. */
  hold(text: string): void {
    this.known = digest([text]);
    this.held = true;
    this.stamp = stampOf(this.file);
  }

  get path(): string {
    return this.file;
  }

  /** Sets a value at a path of the file, creating mappings on the way. */
  set(path: EditPath, value: unknown): void {
    let result = this.editor.set(path, value);
    if (result === "unsupported") {
      this.editor = new DocumentYaml(this.editor.toString());
      result = this.editor.set(path, value);
    }
    if (result === "changed") this.dirty = true;
  }

  setTask(index: number, field: string, value: unknown): void {
    this.set(["tasks", index, field], value);
  }

  /** The value at a path as plain data. */
  get(path: EditPath): unknown {
    return this.editor.get(path);
  }

  /** Writes the file if anything changed since the last write. */
  flush(): void {
    if (!this.dirty) return;
    this.noticeEdits();
    if (this.held || !this.dirty) return;
    const chunks = this.editor.chunks();
    this.bytesWritten += writeFileAtomic(this.file, chunks, "milestone-write");
    this.known = digest(chunks);
    this.stamp = stampOf(this.file);
    this.dirty = false;
  }

  // A person may edit the file at any time: never write over an edit this writer has not seen.
  private noticeEdits(): void {
    if (!this.onEdited) return;
    const now = stampOf(this.file);
    if (sameStamp(now, this.stamp)) return;
    if (now === null && this.stamp !== null) {
      this.stamp = null;
      this.onDeleted?.();
      return;
    }
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch {
      return;
    }
    this.stamp = now;
    if (!this.knows(text)) this.onEdited(text);
  }

  /** Writes the file to a new place and removes the old file (completed milestones move). */
  relocate(file: string): void {
    const old = this.file;
    this.noticeEdits();
    this.file = file;
    // A new place has no file yet: nothing there was deleted.
    this.stamp = stampOf(file);
    this.dirty = true;
    this.held = false;
    this.flush();
    if (old !== file) fs.rmSync(old, { force: true });
  }
}

function digest(pieces: readonly string[]): string {
  const hash = createHash("sha1");
  for (const piece of pieces) hash.update(piece);
  return hash.digest("base64");
}

type Data = Record<string, unknown>;

// Tasks by position; a task that is not a mapping is an empty one (the loader rejects those).
const asList = (value: unknown): Data[] | undefined =>
  Array.isArray(value) ? value.map((t) => (t !== null && typeof t === "object" ? (t as Data) : {})) : undefined;

const sameData = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function stampOf(file: string): FileStamp | null {
  try {
    const s = fs.statSync(file);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  } catch {
    return null;
  }
}

const sameStamp = (a: FileStamp | null, b: FileStamp | null) => a?.size === b?.size && a?.mtimeMs === b?.mtimeMs && a?.ino === b?.ino;
