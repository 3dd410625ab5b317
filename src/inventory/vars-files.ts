/**
 * group_vars/ and host_vars/ beside an inventory, as Ansible's host_group_vars plugin finds
 * them: for a group or host NAME it reads `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json` and,
 * when `NAME/` is a directory, every YAML/JSON (or extension-less) file in it, recursively, in
 * lexical order; later files override earlier ones. Files for names not in the inventory are
 * ignored (they may belong to another site's inventory). Values keep their YAML types and
 * their file:line:col. Problems are returned, never thrown.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Node } from 'yaml';
import type { Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { parseYamlSource } from '../errors/yaml-source.js';
import { isNullNode, kindOf, mapPairs, nodeValue } from './yaml-nodes.js';
import { isMap } from 'yaml';

export interface VarsFileEntry {
  readonly key: string;
  readonly value: unknown;
  readonly loc: SourceLocation;
}

const VARS_EXTS = ['', '.yml', '.yaml', '.json'];

/** A vars directory's names (group_vars/ or host_vars/, not recursive); empty when it is absent. */
export type VarsDirListing = ReadonlySet<string>;

/**
 * Lists `dir` once, so looking up each group's and host's files costs no system call for the
 * names that have none (four stats per name, each an ENOENT, cost more than the whole parse).
 */
export async function listVarsDir(dir: string): Promise<VarsDirListing> {
  try {
    return new Set(await readdir(dir));
  } catch {
    return new Set();
  }
}

/**
 * Reads every vars file for `name` under `dir` (e.g. `inventories/group_vars`), in override
 * order. `display` maps an absolute path to the path shown in locations; `listing` is `dir`'s
 * (listVarsDir), read here when not given.
 */
export async function readVarsFor(
  dir: string,
  name: string,
  display: (abs: string) => string,
  listing?: VarsDirListing,
): Promise<{ entries: VarsFileEntry[]; problems: Problem[] }> {
  const names = listing ?? (await listVarsDir(dir));
  const files: string[] = [];
  for (const ext of VARS_EXTS) {
    if (!names.has(name + ext)) continue;
    const p = path.join(dir, name + ext);
    const st = await statOrNull(p);
    if (!st) continue;
    if (st.isDirectory()) {
      if (ext === '') files.push(...(await filesUnder(p)));
    } else if (st.isFile()) {
      files.push(p);
    }
  }
  const entries: VarsFileEntry[] = [];
  const problems: Problem[] = [];
  for (const f of files) {
    const r = parseVarsFile(await readFile(f, 'utf8'), display(f));
    entries.push(...r.entries);
    problems.push(...r.problems);
  }
  return { entries, problems };
}

export function parseVarsFile(text: string, file: string): { entries: VarsFileEntry[]; problems: Problem[] } {
  const src = parseYamlSource(text, file);
  if (src.problems.length > 0) return { entries: [], problems: [...src.problems] };
  const root = src.doc.contents as Node | null;
  if (isNullNode(root)) return { entries: [], problems: [] };
  if (!isMap(root)) {
    return {
      entries: [],
      problems: [
        {
          loc: { file, line: 1, col: 1 },
          message: `a vars file must be a mapping of variable names to values, got ${kindOf(root)}`,
          hint: 'write one `name: value` per line',
        },
      ],
    };
  }
  return { entries: mapPairs(src, root!).map((p) => ({ key: p.key, value: nodeValue(src, p.value), loc: p.valueLoc })), problems: [] };
}

async function filesUnder(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  const out: string[] = [];
  for (const n of names) {
    const p = path.join(dir, n);
    const st = await statOrNull(p);
    if (!st) continue;
    if (st.isDirectory()) out.push(...(await filesUnder(p)));
    else if (st.isFile() && VARS_EXTS.includes(path.extname(n))) out.push(p);
  }
  return out;
}

async function statOrNull(p: string): Promise<Awaited<ReturnType<typeof stat>> | null> {
  try {
    return await stat(p);
  } catch {
    return null;
  }
}
