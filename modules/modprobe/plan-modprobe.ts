/**
 * The pure decision of the `modprobe` module: (args, ModprobeCurrent) -> Changes. No I/O.
 * Order: persistent files (mkdir of a missing directory + PutStep with a diff, or RemoveStep
 * when a file is left with no settings), then the runtime load/unload. A load is planned only
 * when the module is not loaded by any evidence (see read-modprobe.ts); when it cannot run
 * (no CAP_SYS_MODULE, no modprobe binary) the task fails with a hint instead of a cryptic
 * "Operation not permitted" during apply.
 */
import { TaskFailure, type Change, type Step } from '../../src/module-api/index.js';
import type { ModprobeArgs } from './args.js';
import { loadPath, moduleKey, optionsPath, type ModprobeCurrent } from './read-modprobe.js';

export function planModprobe(args: ModprobeArgs, cur: ModprobeCurrent): Change[] {
  const name = args.name;
  const params = (args.params ?? '').trim().split(/\s+/).filter((p) => p !== '');
  const changes: Change[] = [];
  const persistent = args.persistent ?? 'present';
  if (persistent === 'present') {
    const load = ensureLine(cur.loadFile, (l) => moduleKey(l) === moduleKey(name), name);
    if (load !== cur.loadFile) changes.push(putChange(loadPath(name), cur.loadFile, load, cur.loadDirExists, `load ${name} at boot`));
    if (params.length > 0) {
      const want = `options ${name} ${params.join(' ')}`;
      const opts = ensureLine(cur.optionsFile, (l) => isOptionsOf(l, name), want, (l) => normalize(l) === normalize(want));
      if (opts !== cur.optionsFile) changes.push(putChange(optionsPath(name), cur.optionsFile, opts, cur.optionsDirExists, `options ${name}: ${params.join(' ')}`));
    }
  } else if (persistent === 'absent') {
    for (const [path, text, match] of [
      [loadPath(name), cur.loadFile, (l: string) => moduleKey(l) === moduleKey(name)],
      [optionsPath(name), cur.optionsFile, (l: string) => isOptionsOf(l, name)],
    ] as const) {
      if (text === null) continue;
      const after = dropLines(text, match);
      if (after === text) continue;
      const empty = after.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'));
      changes.push(
        empty
          ? { summary: `remove ${path}`, steps: [{ kind: 'remove', path }], diff: { path, before: text, after: null } }
          : { summary: `remove ${name} from ${path}`, steps: [{ kind: 'put', path, content: after, mode: '0644' }], diff: { path, before: text, after } },
      );
    }
  }

  const state = args.state ?? 'present';
  if (state === 'present' && !cur.loaded) {
    cannotRun(name, cur, 'load');
    changes.push({ summary: `load module ${name}${params.length ? ` (${params.join(' ')})` : ''}`, steps: [{ kind: 'exec', cmd: ['modprobe', '--', name, ...params] }] });
  } else if (state === 'absent' && cur.loaded) {
    if (!cur.listed) {
      throw new TaskFailure(
        `cannot unload ${name}: it is not listed in /proc/modules${cur.procModules ? ' (built into the kernel)' : ' (no /proc/modules here: a container?)'}`,
        'built-in modules cannot be unloaded; in a container, unload it on the machine that runs the container',
      );
    }
    cannotRun(name, cur, 'unload');
    changes.push({ summary: `unload module ${name}`, steps: [{ kind: 'exec', cmd: ['modprobe', '-r', '--', name] }] });
  }
  return changes;
}

function cannotRun(name: string, cur: ModprobeCurrent, verb: 'load' | 'unload'): void {
  if (!cur.canLoad) {
    throw new TaskFailure(
      `cannot ${verb} kernel module ${name}: this host lacks CAP_SYS_MODULE (a container shares its host's kernel)`,
      `${verb} it on the machine that runs the container (modprobe ${verb === 'unload' ? '-r ' : ''}${name}); the persistent files are managed anyway when this task runs there`,
    );
  }
  if (!cur.modprobe) throw new TaskFailure(`cannot ${verb} kernel module ${name}: modprobe is not installed`, 'install kmod (apt install kmod / dnf install kmod)');
}

function putChange(path: string, before: string | null, after: string, dirExists: boolean, what: string): Change {
  const dir = path.slice(0, path.lastIndexOf('/'));
  const steps: Step[] = [...(dirExists ? [] : [{ kind: 'exec', cmd: ['mkdir', '-p', '--', dir] } as const]), { kind: 'put', path, content: after, mode: '0644' }];
  return { summary: `${what} (${path})`, steps, diff: { path, before, after } };
}

const normalize = (line: string): string => line.trim().split(/\s+/).join(' ').replace(/^options (\S+)/, (_, m: string) => `options ${moduleKey(m)}`);
const isOptionsOf = (line: string, name: string): boolean => {
  const [kw, mod] = line.trim().split(/\s+/);
  return kw === 'options' && mod !== undefined && moduleKey(mod) === moduleKey(name);
};
const isSetting = (l: string): boolean => l.trim() !== '' && !l.trim().startsWith('#');

/**
 * `text` with exactly one line matching `match` that is `ok` (default: any matching line is
 * fine): kept when there is one such line and no other matching lines; otherwise the first
 * matching line is replaced by `line`, others dropped, or `line` appended.
 */
function ensureLine(text: string | null, match: (l: string) => boolean, line: string, ok: (l: string) => boolean = () => true): string {
  if (text === null) return `${line}\n`;
  const lines = text.split('\n');
  const hits = lines.map((l, i) => (isSetting(l) && match(l.trim()) ? i : -1)).filter((i) => i >= 0);
  if (hits.length === 0) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
  if (hits.length === 1 && ok(lines[hits[0] as number] ?? '')) return text;
  const first = hits[0];
  const drop = new Set(hits);
  return lines.flatMap((l, i) => (i === first ? [line] : drop.has(i) ? [] : [l])).join('\n');
}

function dropLines(text: string, match: (l: string) => boolean): string {
  return text
    .split('\n')
    .filter((l) => !(isSetting(l) && match(l.trim())))
    .join('\n');
}
