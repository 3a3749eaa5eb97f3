// A file's text each time it changes on disk, for noticing that a person edited the milestone
// file during a run. fs.watch is fast but unreliable (network and container filesystems may
// never report, editors replace files by rename), so a stat poll runs beside it; both only
// prompt a read, and only text that differs from the last seen is emitted.
import fs from "node:fs";
import path from "node:path";
import { clearInterval, clearTimeout, setInterval, setTimeout } from "node:timers";
import { Observable } from "../rx.ts";
import { readTextOrNull } from "../store/read-text.ts";

export interface WatchFileOptions {
  /** Quiet time after the last change before the file is read (an editor writes in bursts). */
  debounceMs?: number;
  /** How often to stat the file in case fs.watch misses a change; 0 turns polling off. */
  pollMs?: number;
  /** True for a stat of a text the caller already knows (its own write): not read, not emitted.
   *  Reading back every write of a 10,000-task file would double what a run allocates for it. */
  known?: (stats: fs.Stats) => boolean;
}

/**
 * The new text of `file` after each change, not its text at subscription. Unsubscribing stops
 * every watcher and timer; none of them keeps the process alive meanwhile either.
 *
 * @example
 * const sub = watchFile(plan.file).pipe(filter((text) => text !== lastWritten)).subscribe(onEdit);
 * sub.unsubscribe();
 */
export function watchFile(file: string, { debounceMs = 100, pollMs = 500, known }: WatchFileOptions = {}): Observable<string> {
  return new Observable<string>((subscriber) => {
    const absolute = path.resolve(file);
    let lastText = readTextOrNull(absolute);
    let lastStat = statKey(absolute);
    let debounce: ReturnType<typeof setTimeout> | undefined;

    const read = () => {
      debounce = undefined;
      lastStat = statKey(absolute);
      if (known !== undefined && isKnown(absolute, known)) return;
      const text = readTextOrNull(absolute);
      // null: between an editor's unlink and its rename, or deleted; the next change brings it back.
      if (text === null || text === lastText) return;
      lastText = text;
      subscriber.next(text);
    };
    const changed = () => {
      if (debounce !== undefined) clearTimeout(debounce);
      debounce = setTimeout(read, debounceMs);
      debounce.unref();
    };

    const watcher = watchDirectory(absolute, changed);
    const poll = pollMs > 0 ? setInterval(() => {
      const key = statKey(absolute);
      if (key === lastStat) return;
      lastStat = key;
      changed();
    }, pollMs) : undefined;
    poll?.unref();

    return () => {
      watcher?.close();
      if (poll !== undefined) clearInterval(poll);
      if (debounce !== undefined) clearTimeout(debounce);
    };
  });
}

// The directory, not the file: a watch on the file follows its inode, which an editor's (or our
// own atomic) rename-replace leaves behind, and the watch would go silent. A directory watch sees
// writes to the file and a new file renamed onto its name alike. null when the platform refuses
// (inotify limit, no permission): the poll carries on alone.
function watchDirectory(file: string, onChange: () => void): fs.FSWatcher | null {
  const name = path.basename(file);
  try {
    const watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, changed) => {
      // Some platforms do not say which file changed; reading once too often costs little.
      if (changed === null || changed === undefined || changed.toString() === name) onChange();
    });
    watcher.on("error", () => watcher.close());
    // Deno ignores `persistent: false`; unref() works in both.
    watcher.unref();
    return watcher;
  } catch {
    return null;
  }
}

function isKnown(file: string, known: (stats: fs.Stats) => boolean): boolean {
  try {
    return known(fs.statSync(file));
  } catch {
    return false;
  }
}


// What a change of the file changes, short of its content: which file (a rename-replace brings a
// new inode), its size and its modification time.
function statKey(file: string): string {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return "missing";
  }
}
