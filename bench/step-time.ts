/**
 * One task's own duration inside a whole run, as each tool times it itself: k3play's task_end
 * event (durationMs, from the run journal the run wrote in its working directory) and Ansible's
 * ansible.posix.profile_tasks callback (the "NAME ---- 1.23s" lines it prints at the end). Used
 * for steps whose cost the whole-run wall hides behind connection set-up (facts on 100 hosts).
 * Pure parsers plus one directory read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The task_end durationMs of `task` in the run journal under `cwd/.k3play/runs/`. */
export function k3playStepMs(cwd: string, task: string): number {
  const dir = join(cwd, '.k3play', 'runs');
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  if (files.length !== 1) throw new Error(`expected one run journal in ${dir}, found ${files.length}`);
  return stepFromJournal(readFileSync(join(dir, files[0]!), 'utf8'), task);
}

export function stepFromJournal(jsonl: string, task: string): number {
  for (const line of jsonl.split('\n')) {
    if (!line.includes('"task_end"')) continue;
    const e = JSON.parse(line) as { type?: string; task?: string; durationMs?: number };
    if (e.type === 'task_end' && e.task === task && typeof e.durationMs === 'number') return e.durationMs;
  }
  throw new Error(`no task_end for "${task}" in the run journal`);
}

/** profile_tasks prints `TASK NAME ---...--- 1.23s` (timestamps above it are ignored). */
export function ansibleStepMs(stdout: string, task: string): number {
  const esc = task.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^${esc} -+ (\\d+(?:\\.\\d+)?)s\\s*$`, 'm').exec(stdout);
  if (!m) throw new Error(`no profile_tasks line for "${task}" in ansible-playbook's output`);
  return Number(m[1]) * 1000;
}
