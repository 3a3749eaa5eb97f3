// Whether parsed JSON is a snapshot envelope that envelope.ts's schema accepts, answered without
// zod: its module costs about 60 ms of a resume's start, and almost every snapshot is fine. A no
// means "ask envelope.ts", which also says what is wrong. test/persist/quick-envelope.test.ts
// checks that both judge alike.
import { isMapping } from "../milestone/quick-check.ts";
import type { Envelope } from "./envelope.ts";

const isCount = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;

export function isEnvelope(v: unknown): v is Envelope {
  if (!isMapping(v)) return false;
  const s = v.snapshot;
  return (
    v.schema === 1 &&
    v.machine === "milestone" &&
    isCount(v.version, 1) &&
    typeof v.milestone_id === "string" &&
    typeof v.session_id === "string" &&
    isCount(v.seq, 0) &&
    typeof v.saved_at === "string" &&
    typeof v.save_reason === "string" &&
    isMapping(s) &&
    typeof s.status === "string" &&
    isMapping(s.context) &&
    (s.children === undefined || isMapping(s.children))
  );
}
