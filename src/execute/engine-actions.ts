/**
 * Actions the engine performs itself, without a host round trip: set_fact, debug, assert,
 * fail, pause. (meta is handled by the block runner: it acts on the whole batch.)
 * Values produced here (set_fact) are data: stored as rendered once, never rendered again.
 */
import type { Task } from '../playbook/types.js';
import { compileExpression, evaluate, evaluateCondition, renderDeep } from '../template/index.js';
import type { HostRun } from './host-run.js';
import type { PlayContext } from './run-context.js';
import { failedResult, okResult, skippedResult, type TaskResult } from './task-result.js';

export async function runEngineAction(task: Task, h: HostRun, pc: PlayContext, vars: Record<string, unknown>): Promise<TaskResult> {
  const args = task.args;
  switch (task.module) {
    case 'set_fact': {
      const rendered = renderDeep(args, vars, task.argsLoc) as Record<string, unknown>;
      for (const [k, v] of Object.entries(rendered)) if (k !== 'cacheable') h.runVars.set(k, v);
      return okResult({ ansible_facts: rendered });
    }
    case 'debug': {
      const verbosity = Number(args['verbosity'] ?? 0);
      if (pc.run.opts.verbose < verbosity) return skippedResult(`verbosity threshold ${verbosity} not met`);
      if (typeof args['var'] === 'string') {
        const name = args['var'];
        const value = evaluate(compileExpression(name, task.argsLoc), vars);
        return okResult({ msg: `${name}: ${formatValue(value)}`, [name]: value });
      }
      const msg = args['msg'] === undefined ? 'Hello world!' : renderDeep(args['msg'], vars, task.argsLoc);
      return okResult({ msg: formatValue(msg) });
    }
    case 'assert': {
      const that = Array.isArray(args['that']) ? (args['that'] as unknown[]).map(String) : [String(args['that'])];
      for (const cond of that) {
        if (!evaluateCondition(cond, vars, task.argsLoc)) {
          const failMsg = args['fail_msg'] ?? args['msg'];
          return {
            ...failedResult(failMsg !== undefined ? formatValue(renderDeep(failMsg, vars, task.argsLoc)) : `assertion failed: ${cond}`),
            assertion: cond,
          };
        }
      }
      const ok = args['success_msg'];
      return okResult({ msg: ok !== undefined ? formatValue(renderDeep(ok, vars, task.argsLoc)) : 'all assertions passed' });
    }
    case 'fail': {
      const msg = args['msg'] === undefined ? 'failed as requested from task' : formatValue(renderDeep(args['msg'], vars, task.argsLoc));
      return failedResult(msg);
    }
    case 'pause': {
      if (args['prompt'] !== undefined && args['seconds'] === undefined && args['minutes'] === undefined) {
        return failedResult('pause with a prompt needs an interactive confirmation, which k3play does not support', 'use pause: {seconds: N}, or split the run in two');
      }
      const seconds = Number(renderDeep(args['seconds'] ?? 0, vars, task.argsLoc)) + 60 * Number(renderDeep(args['minutes'] ?? 0, vars, task.argsLoc));
      await abortableSleep(seconds * 1000, pc.run.opts.abort);
      return okResult({ msg: `paused for ${seconds} s` });
    }
    default:
      return failedResult(`unknown module or action "${task.module}"`, 'run "k3play modules" for the list');
  }
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'VARIABLE IS NOT DEFINED!';
  return JSON.stringify(v);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}
