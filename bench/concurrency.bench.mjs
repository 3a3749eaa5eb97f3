// Scenario f: many tasks at once. 100 independent `sleep 1` tasks at concurrency 100 against the
// bare loop running the same 100 commands at once; the engine both with --json (event log
// only) and drawing its dashboard on a pseudo-terminal (util-linux `script`), to show that
// neither the log nor the dashboard falls behind: every task's start and end are in the log, and
// the dashboard's last frame shows every task done.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import {
  alternate, bareLoop, chainsYaml, executeArgs, freshProject, measure, nodeCli, ratioRow, retireProject, smoke,
} from "./lib.mjs";

const ID = "wide";
const hasScript = spawnSync("script", ["--version"]).status === 0;

export async function concurrency() {
  const total = smoke ? 5 : 100;
  const command = smoke ? "sleep 0.2" : "sleep 1";
  const yaml = chainsYaml(ID, total, 1, command);
  const logs = { json: [], dashboard: [] };

  const engine = (mode) => () => {
    const dir = freshProject(ID, yaml);
    try {
      const args = [...nodeCli, ...executeArgs(ID, dir, total, mode === "json")];
      const r = mode === "json" ? measure(args[0], args.slice(1)) : onTerminal(args);
      const summary = logSummary(dir, r.ms, total);
      if (mode === "dashboard") summary.last_frame_all_done = lastFrameAllDone(r.stdout, total);
      logs[mode].push(summary);
      return r;
    } finally {
      retireProject(dir);
    }
  };
  const bareArgs = [process.execPath, bareLoop, String(total), String(total), command];
  const variants = { bare: () => measure(bareArgs[0], bareArgs.slice(1)), json: engine("json") };
  if (hasScript) {
    variants.dashboard = engine("dashboard");
    // The terminal itself (script, a shell, stty) costs some 20 ms: the dashboard's run is
    // compared with the bare loop run on the same kind of terminal.
    variants.bareTerminal = () => onTerminal(bareArgs);
  }
  const times = await alternate(variants);

  const what = `${total} concurrent \`${command}\` tasks`;
  const rows = [ratioRow("f", `${what}: engine --json / bare Node loop`, times.json, times.bare, 1.1)];
  if (hasScript) {
    rows.push(ratioRow("f", "same, with the dashboard on a terminal / bare Node loop on a terminal", times.dashboard, times.bareTerminal, 1.1));
  }
  const complete = [...logs.json, ...logs.dashboard].every((l) => l.started === total && l.completed === total && l.last_frame_all_done !== false);
  const measured = `same: every start and end in the event log${hasScript ? ", every task done on the dashboard's last frame" : ""}`;
  rows.push({ key: "f", measure: measured, value: complete ? "yes" : "no", unit: "", baseline: null, ratio: null, target: "yes", pass: complete });
  return { rows, details: { f: { tasks: total, command, times, logs } } };
}

// What the event log of one run says: how many tasks started and completed, and how long after
// the first start the last completion was logged (≤ the run's wall time if the log kept up).
function logSummary(dir, wallMs, total) {
  const events = fs.readFileSync(path.join(dir, `.milestones/logs/execution-${ID}.jsonl`), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const started = events.filter((e) => e.event === "task_started");
  const completed = events.filter((e) => e.event === "task_completed");
  const span = completed.length && started.length ? Date.parse(completed.at(-1).ts) - Date.parse(started[0].ts) : null;
  return { started: started.length, completed: completed.length, of: total, log_span_ms: span, wall_ms: Math.round(wallMs) };
}

// The dashboard's final frame (escape sequences removed) says every task is done.
function lastFrameAllDone(output, total) {
  const text = output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  return text.includes(`${total}/${total} 100%`) && text.includes(`${ID} completed`);
}

// Runs argv on a pseudo-terminal of 120 by 40 (util-linux `script`). -e: exit with the command's
// code; -q: no banner; -f: flush as output comes. The terminal gets a size, or the dashboard
// would cut its lines to nothing.
function onTerminal(argv) {
  return measure("script", ["-qefc", `stty cols 120 rows 40; ${argv.map(shellQuote).join(" ")}`, "/dev/null"]);
}

const shellQuote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
