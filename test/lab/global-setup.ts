/**
 * vitest globalSetup for the `lab` project: brings the shared lab (5 full + 30 light hosts) up
 * once per run, hands its state to the test workers (`provide('k3playLab', ...)`), and tears it
 * down in the returned teardown, which vitest calls after all tests, failed ones included.
 * A run that is killed outright leaves a state file; the next run's labUp cleans it first.
 * When the lab cannot run (see lab-guard.ts) it provides the reason and creates nothing.
 */
import type { TestProject } from 'vitest/node';
import { labDown, labUp } from '../../src/lab/lab.js';
import { ensureBaseImage } from '../../src/lab/base-image.js';
import { labSkipReason } from './lab-guard.js';
import { SHARED_LAB } from './shared-lab-config.js';
import type { SharedLabInfo } from './shared-lab.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const skip = labSkipReason();
  if (skip !== null) {
    project.provide('k3playLab', { skip } satisfies SharedLabInfo);
    process.stderr.write(`${skip}\n`);
    return async () => undefined;
  }
  const log = (m: string) => void process.stderr.write(`k3play lab: ${m}\n`);
  const base = await ensureBaseImage({ log });
  const t0 = Date.now();
  const state = await labUp({ ...SHARED_LAB, log });
  const upMs = Date.now() - t0;
  log(`shared lab up: ${SHARED_LAB.full} full + ${SHARED_LAB.light} light in ${upMs} ms (base ${base.built ? `built in ${base.durationMs} ms` : 'cached'})`);
  project.provide('k3playLab', { state, upMs, baseBuildMs: base.built ? base.durationMs : null } satisfies SharedLabInfo);
  return async () => {
    const t1 = Date.now();
    await labDown(state, { log });
    log(`shared lab down in ${Date.now() - t1} ms`);
  };
}
