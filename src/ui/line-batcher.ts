// Event lines for a stdout that is not a terminal, written once per turn of the event loop: a
// task makes four events in the same turn or two, and a write to a pipe is a system call (Node
// writes pipes synchronously on Linux), made while the next task waits to be dispatched.
import { setImmediate } from "node:timers";

export class LineBatcher {
  private lines: string[] = [];
  private scheduled = false;

  constructor(private readonly out: { write(text: string): unknown }) {}

  write(line: string): void {
    this.lines.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes what is waiting now (the end of a run: nothing may be left behind). */
  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const text = `${this.lines.join("\n")}\n`;
    this.lines = [];
    this.out.write(text);
  }
}
