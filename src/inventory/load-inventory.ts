/**
 * Loading stage: `-i` paths (INI files, YAML files, directories of them) -> one Inventory.
 * Several paths merge in order. After all inventory files are parsed, group_vars/ and
 * host_vars/ beside each source (the file's directory, or the directory itself when the source
 * is a directory) are read for every known group and host. Every problem of every file is
 * collected and thrown once as a K3playError; nothing is thrown half-way.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileOnly } from '../errors/source-location.js';
import { suggest as closestNames } from '../errors/did-you-mean.js';
import { InventoryBuilder } from './inventory-builder.js';
import { parseIniInventory } from './parse-ini.js';
import { parseYamlInventory } from './parse-yaml-inventory.js';
import type { Inventory } from './types.js';
import { listVarsDir, readVarsFor } from './vars-files.js';

/** Extensions read from an inventory directory ('' = no extension, e.g. `hosts`). */
const INVENTORY_EXTS = new Set(['', '.ini', '.yml', '.yaml', '.json']);
const VARS_DIRS = new Set(['group_vars', 'host_vars']);

export interface LoadInventoryOptions {
  /** Base for relative paths and for the paths shown in locations; default process.cwd(). */
  readonly cwd?: string;
}

export async function loadInventory(paths: readonly string[], opts: LoadInventoryOptions = {}): Promise<Inventory> {
  const cwd = opts.cwd ?? process.cwd();
  const display = (abs: string): string => {
    const rel = path.relative(cwd, abs);
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
  };
  const b = new InventoryBuilder(fileOnly(paths[0] ?? '<no inventory>'));
  const baseDirs: string[] = [];

  for (const given of paths) {
    const abs = path.resolve(cwd, given);
    const st = await statOrNull(abs);
    if (!st) {
      const near = await nearbyNames(abs, display);
      b.problems.add({
        loc: fileOnly(given),
        message: `inventory not found: ${given}`,
        hint: near.length > 0 ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : 'check the path given with -i (an INI file, a YAML file or a directory)',
      });
      continue;
    }
    if (st.isDirectory()) {
      for (const f of await inventoryFilesUnder(abs)) parseFile(f, await readFile(f, 'utf8'), display(f), b);
      addOnce(baseDirs, abs);
    } else {
      parseFile(abs, await readFile(abs, 'utf8'), display(abs), b);
      addOnce(baseDirs, path.dirname(abs));
    }
  }

  // Vars files are read only when the inventory itself parsed: their owners must be known.
  const groupNames = b.groupNames();
  const hostNames = b.hostNames();
  for (const dir of baseDirs) {
    const [groupVars, hostVars] = await Promise.all([listVarsDir(path.join(dir, 'group_vars')), listVarsDir(path.join(dir, 'host_vars'))]);
    for (const g of groupNames) {
      const r = await readVarsFor(path.join(dir, 'group_vars'), g, display, groupVars);
      b.problems.addAll(r.problems);
      for (const e of r.entries) b.fileVar('group_vars', g, e.key, e.value, e.loc);
    }
    for (const h of hostNames) {
      const r = await readVarsFor(path.join(dir, 'host_vars'), h, display, hostVars);
      b.problems.addAll(r.problems);
      for (const e of r.entries) b.fileVar('host_vars', h, e.key, e.value, e.loc);
    }
  }

  const inv = b.build(paths);
  b.problems.throwIfAny();
  return inv;
}

/** Picks the format by extension, else by content: `[section]` or `host` lines mean INI. */
export function inventoryFormat(file: string, text: string): 'ini' | 'yaml' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return 'yaml';
  if (ext === '.ini') return 'ini';
  for (const raw of text.split(/\r?\n/)) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';') || t === '---') continue;
    if (t.startsWith('{')) return 'yaml';
    return /^[^\s=[\]]+:(\s+#.*)?\s*$/.test(t) || /^[^\s=[\]]+:\s+\S/.test(t) ? 'yaml' : 'ini';
  }
  return 'ini';
}

function parseFile(abs: string, text: string, shown: string, b: InventoryBuilder): void {
  if (inventoryFormat(abs, text) === 'yaml') parseYamlInventory(text, shown, b);
  else parseIniInventory(text, shown, b);
}

async function inventoryFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const n of (await readdir(dir)).sort()) {
    if (n.startsWith('.') || n.endsWith('~')) continue;
    const p = path.join(dir, n);
    const st = await statOrNull(p);
    if (!st) continue;
    if (st.isDirectory()) {
      if (!VARS_DIRS.has(n)) out.push(...(await inventoryFilesUnder(p)));
    } else if (st.isFile() && INVENTORY_EXTS.has(path.extname(n).toLowerCase())) {
      out.push(p);
    }
  }
  return out;
}

async function nearbyNames(abs: string, display: (abs: string) => string): Promise<string[]> {
  try {
    const dir = path.dirname(abs);
    return closestNames(path.basename(abs), await readdir(dir)).map((n) => display(path.join(dir, n)));
  } catch {
    return [];
  }
}

function addOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

async function statOrNull(p: string): Promise<Awaited<ReturnType<typeof stat>> | null> {
  try {
    return await stat(p);
  } catch {
    return null;
  }
}

