// Scenarios b and c: durability at scale. b: 10,000 `true` tasks in chains with a fan-out and a
// fan-in, event log, snapshots and milestone file all on, against the bare spawn loop; the
// engine's peak RSS and the bytes it writes per task. c: a run of the same milestone killed
// with SIGKILL half-way, then resumed: how soon after the resume starts its first task starts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  alternate, bareLoop, executeArgs, fanYaml, freshProject, limitRow, measure, measureCli, median, ratioRow, retireProject, runs, sleep, smoke, startCli,
} from "./lib.mjs";

const ID = "big";
const logOf = (dir) => path.join(dir, `.milestones/logs/execution-${ID}.jsonl`);

export async function persistence() {
  const chains = smoke ? 4 : 100;
  const length = smoke ? 10 : 100;
  const concurrency = 2;
  const total = chains * length;
  const yaml = fanYaml(ID, chains, length);

  const engineRuns = [];
  const engine = () => {
    const dir = freshProject(ID, yaml);
    try {
      const r = measureCli(executeArgs(ID, dir, concurrency), { usage: true });
      const bytes = JSON.parse(r.stdout).run.bytes_written;
      engineRuns.push({ ms: Math.round(r.ms), cpuMs: r.cpuMs, rssMb: r.rssMb, bytes });
      return r;
    } finally {
      retireProject(dir);
    }
  };
  const times = await alternate({
    bare: () => measure(process.execPath, [bareLoop, String(total), String(concurrency)]),
    engine,
  });
  const peakRss = Math.max(...engineRuns.map((r) => r.rssMb ?? 0));
  const bytes = engineRuns[0].bytes;
  const perTask = (bytes.log + bytes.milestone + bytes.snapshots) / total;

  const resume = await resumeAfterKill(yaml, total, concurrency);
  const what = `${total.toLocaleString("en")} tasks, chains + fan-out/in, -j${concurrency}`;
  return {
    rows: [
      ratioRow("b", `${what}: engine / bare Node loop`, times.engine, times.bare, 1.15),
      limitRow("b", "same: engine peak RSS", peakRss, "MB", 150),
      limitRow("b", `same: bytes written per task (log ${kb(bytes.log / total)}, milestone file ${kb(bytes.milestone / total)}, snapshots ${kb(bytes.snapshots / total)})`, perTask, "B", null),
      limitRow("c", "resume after kill -9 half-way through b: first task started after", resume.median, "ms", 500),
    ],
    details: { b: { tasks: total, chains, concurrency, times, engineRuns, bytes_per_task: Math.round(perTask) }, c: resume },
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

// Kills one run once half the tasks have completed, then resumes copies of what it left, each
// timed from the resume's spawn to the first task_started it logs. Copies, because each resume
// changes the project; one run killed at the same point gives every sample the same start.
async function resumeAfterKill(yaml, total, concurrency) {
  const killed = freshProject(ID, yaml);
  const run = startCli(executeArgs(ID, killed, concurrency));
  const tail = logTail(logOf(killed));
  let completed = 0;
  while (completed < total / 2) {
    if (run.exitCode !== null) throw new Error(`the run to kill exited (${run.exitCode}) before half its tasks completed`);
    await sleep(5);
    completed += count(tail(), '"event":"task_completed"');
  }
  run.kill("SIGKILL");
  await new Promise((r) => run.on("close", r));

  const samples = [];
  for (let i = 0; i < runs; i++) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "mm-bench-resume-"));
    fs.cpSync(killed, copy, { recursive: true });
    const tail = logTail(logOf(copy), true);
    const startedAt = performance.now();
    const resume = startCli(["resume", ID, "--cwd", copy, "--json"]);
    let ms = null;
    while (ms === null) {
      if (tail().includes('"event":"task_started"')) ms = performance.now() - startedAt;
      else if (resume.exitCode !== null) throw new Error(`resume exited with ${resume.exitCode} before starting a task`);
      else await sleep(2);
    }
    resume.kill("SIGKILL");
    await new Promise((r) => resume.on("close", r));
    retireProject(copy);
    samples.push(Math.round(ms));
  }
  retireProject(killed);
  return { killed_after_completed: total / 2, median: median(samples), samples };
}

// Reads what was appended to `file` since the last call (from its current end if `fromEnd`).
function logTail(file, fromEnd = false) {
  let offset = fromEnd && fs.existsSync(file) ? fs.statSync(file).size : 0;
  let partial = "";
  return () => {
    if (!fs.existsSync(file)) return "";
    const size = fs.statSync(file).size;
    if (size <= offset) return "";
    const buffer = Buffer.alloc(size - offset);
    const fd = fs.openSync(file, "r");
    fs.readSync(fd, buffer, 0, buffer.length, offset);
    fs.closeSync(fd);
    offset = size;
    const lines = (partial + buffer.toString("utf8")).split("\n");
    partial = lines.pop();
    return lines.join("\n");
  };
}

const count = (text, needle) => text.split(needle).length - 1;
