/**
 * `--sites SPEC` -> the ordered list of sites of a rollout. SPEC is one of:
 *   - a glob of inventory files or directories (`inventories/sites/*.ini`): one site per match,
 *     named by its file name without extension, in sorted path order;
 *   - a directory: one site per inventory file or sub-directory in it (a sub-directory is an
 *     inventory directory with its own group_vars/), sorted by name;
 *   - a YAML site list (`.yml`/`.yaml` whose top level has `sites:`), with per-site variables
 *     such as the bastion:
 *
 *       vars:                       # for every site (optional)
 *         ansible_user: ops
 *       sites:
 *         - name: store-0001
 *           inventory: sites/store-0001.ini        # or a list; relative to this file
 *           vars:
 *             ansible_ssh_common_args: -J ops@bastion-eu1.example.net
 *
 * Site names become file names in the journal, so they are restricted to [A-Za-z0-9._-].
 * Every problem (bad names, duplicates, missing inventories, schema errors at file:line:col) is
 * collected and thrown once. This file reads the file system; it loads no inventory.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { K3playError, type Problem } from '../errors/k3play-error.js';
import { fileOnly, type SourceLocation } from '../errors/source-location.js';
import { locate } from '../errors/yaml-source.js';
import { checkSchema } from '../playbook/schema-problems.js';
import { displayPath, readYamlFile } from '../playbook/yaml-file.js';

export interface Site {
  /** Unique in the rollout; a file name in the journal. */
  readonly name: string;
  /** Absolute inventory paths (files or directories), merged in order like repeated `-i`. */
  readonly inventories: readonly string[];
  /** Site variables: defaults under the inventory's own `all` vars (see site-inventory.ts). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Where the site was declared (the site list entry, or the inventory file). */
  readonly loc: SourceLocation;
}

export const SITE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const INVENTORY_EXTS = new Set(['', '.ini', '.yml', '.yaml', '.json']);

export async function resolveSites(spec: string, cwd = process.cwd()): Promise<Site[]> {
  const abs = path.resolve(cwd, spec);
  const st = await stat(abs).catch(() => null);
  let sites: Site[];
  if (st?.isDirectory()) sites = await sitesInDirectory(abs, cwd);
  else if (st?.isFile() && /\.ya?ml$/i.test(abs) && (await isSiteList(abs, cwd))) sites = await sitesFromList(abs, cwd);
  else if (st?.isFile()) sites = [siteOfPath(abs, cwd)];
  else sites = await sitesFromGlob(spec, cwd);
  if (sites.length === 0) {
    throw new K3playError({
      context: '--sites',
      message: `no sites found for ${JSON.stringify(spec)}`,
      hint: "give a glob of inventories ('inventories/sites/*.ini', quoted so the shell does not expand it), a directory of site inventories, or a YAML site list",
    });
  }
  checkNames(sites);
  return sites;
}

function siteOfPath(abs: string, cwd: string): Site {
  const base = path.basename(abs);
  const ext = path.extname(base);
  const name = INVENTORY_EXTS.has(ext.toLowerCase()) ? base.slice(0, base.length - ext.length) : base;
  return { name, inventories: [abs], vars: {}, loc: fileOnly(displayPath(abs, cwd)) };
}

async function sitesInDirectory(dir: string, cwd: string): Promise<Site[]> {
  const out: Site[] = [];
  for (const n of (await readdir(dir)).sort()) {
    if (n.startsWith('.') || n.endsWith('~') || n === 'group_vars' || n === 'host_vars') continue;
    const p = path.join(dir, n);
    const st = await stat(p).catch(() => null);
    if (st?.isDirectory() || (st?.isFile() && INVENTORY_EXTS.has(path.extname(n).toLowerCase()) && n !== 'known_hosts')) out.push(siteOfPath(p, cwd));
  }
  return out;
}

/** A minimal glob: the static directory prefix is walked, the rest matched with picomatch. */
async function sitesFromGlob(spec: string, cwd: string): Promise<Site[]> {
  const pattern = path.isAbsolute(spec) ? spec : path.join(cwd, spec);
  const scan = picomatch.scan(pattern);
  if (!scan.isGlob) return [];
  const base = scan.base || '/';
  const match = picomatch(scan.glob, { dot: false });
  const deep = scan.glob.includes('**') || scan.glob.includes('/');
  const found: string[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const n of names.sort()) {
      if (n.startsWith('.')) continue;
      const r = rel ? `${rel}/${n}` : n;
      const p = path.join(dir, n);
      if (match(r)) found.push(p);
      if (deep && !match(r) && (await stat(p).catch(() => null))?.isDirectory() && r.split('/').length < 8) await walk(p, r);
    }
  }
  await walk(base, '');
  return found.filter((p) => path.basename(p) !== 'known_hosts').sort().map((p) => siteOfPath(p, cwd));
}

async function isSiteList(abs: string, cwd: string): Promise<boolean> {
  const r = await readYamlFile(abs, cwd, 'site list');
  if (!r.ok) return true; // let sitesFromList report the syntax problems
  const v = r.src.value;
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'sites' in v;
}

const VARS_SCHEMA = { type: 'object', description: 'variables (name -> value)' } as const;
const SITE_LIST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['sites'],
  properties: {
    vars: VARS_SCHEMA,
    sites: {
      type: 'array',
      description: 'the sites, in rollout order',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'inventory'],
        properties: {
          name: { type: 'string', description: 'site name ([A-Za-z0-9._-])' },
          inventory: {
            description: 'inventory file or directory, or a list of them (relative to the site list)',
            anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
          },
          vars: VARS_SCHEMA,
        },
      },
    },
  },
} as const;

interface SiteListEntry {
  name: string;
  inventory: string | string[];
  vars?: Record<string, unknown>;
}

async function sitesFromList(abs: string, cwd: string): Promise<Site[]> {
  const r = await readYamlFile(abs, cwd, 'site list');
  if (!r.ok) throw new K3playError(r.problems);
  const src = r.src;
  const problems = checkSchema(SITE_LIST_SCHEMA, src.value, { src, at: [], rootLabel: '' });
  if (problems.length > 0) throw new K3playError(problems);
  const doc = src.value as { vars?: Record<string, unknown>; sites: SiteListEntry[] };
  const dir = path.dirname(abs);
  const missing: Problem[] = [];
  const sites: Site[] = [];
  for (const [i, e] of doc.sites.entries()) {
    const list = typeof e.inventory === 'string' ? [e.inventory] : e.inventory;
    const inventories = list.map((p) => path.resolve(dir, p));
    for (const [j, inv] of inventories.entries()) {
      if (!(await stat(inv).catch(() => null))) {
        missing.push({
          loc: locate(src, typeof e.inventory === 'string' ? ['sites', i, 'inventory'] : ['sites', i, 'inventory', j]),
          context: `site ${e.name}`,
          message: `inventory not found: ${displayPath(inv, cwd)}`,
          hint: 'inventory paths in a site list are relative to the site list file',
        });
      }
    }
    sites.push({ name: e.name, inventories, vars: { ...doc.vars, ...e.vars }, loc: locate(src, ['sites', i, 'name']) });
  }
  if (missing.length > 0) throw new K3playError(missing);
  return sites;
}

function checkNames(sites: readonly Site[]): void {
  const problems: Problem[] = [];
  const seen = new Map<string, Site>();
  for (const s of sites) {
    if (!SITE_NAME_RE.test(s.name)) {
      problems.push({ loc: s.loc, message: `site name ${JSON.stringify(s.name)} is not usable as a file name`, hint: 'use letters, digits, ".", "_" and "-" (the journal keeps one file per site)' });
    }
    const first = seen.get(s.name);
    if (first) problems.push({ loc: s.loc, message: `site "${s.name}" appears twice (first at ${first.loc.file}${first.loc.line ? `:${first.loc.line}` : ''})`, hint: 'site names must be unique in a rollout' });
    else seen.set(s.name, s);
  }
  if (problems.length > 0) throw new K3playError(problems);
}
