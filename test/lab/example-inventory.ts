/**
 * The example inventories (inventories/examples) on a lab that did not get 10.231.0.0/16 (the
 * addresses the examples are written for; another lab may hold it): a copy of the whole
 * directory with every `10.231.` address rewritten to the lab's network — site files,
 * group_vars and host_vars alike, nothing else changed. On 10.231 the examples serve as they are.
 */
import { cp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabState } from '../../src/lab/lab-state.js';
import { repoRoot } from '../e2e/cli.js';

export const EXAMPLES = path.join(repoRoot, 'inventories', 'examples');

/** Copies the examples into `dir` (replacing it) with the lab's addresses; returns `dir`. */
export async function examplesCopy(state: LabState, dir: string): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await cp(EXAMPLES, dir, { recursive: true });
  for (const f of (await readdir(dir, { recursive: true })).map(String)) {
    const p = path.join(dir, f);
    if (!(await stat(p)).isFile()) continue;
    const text = await readFile(p, 'utf8');
    if (text.includes('10.231.')) await writeFile(p, text.replaceAll('10.231.', `${state.net}.`));
  }
  return dir;
}

/** The example site file `site` for this lab: as is on 10.231, else from a rewritten copy in `work`. */
export async function exampleSiteFor(state: LabState, work: string, site: string): Promise<string> {
  if (state.net === '10.231') return path.join(EXAMPLES, site);
  console.log(`lab ${state.name} is on ${state.net}.0.0/16, not 10.231: using a copy of inventories/examples with the addresses rewritten`);
  return path.join(await examplesCopy(state, path.join(work, 'examples')), site);
}
