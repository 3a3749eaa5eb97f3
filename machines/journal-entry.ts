// What a chart hands to the `record` action: one event-log entry (DESIGN §5) before the journal
// in src/log adds seq, timestamp and ids. Charts only describe; src decides how it is written.
export interface JournalEntry {
  event: string;
  data: Record<string, unknown>;
}
