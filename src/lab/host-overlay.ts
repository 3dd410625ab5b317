/**
 * A host's root: overlayfs with the cached base as lower dir and upper/work under the lab's
 * state dir, mounted at <lab>/<host>/merged. The mount is recorded in the state file before it
 * is made, so a crash right after mounting still gets it unmounted.
 */
import { mkdirSync } from 'node:fs';
import { recordResource, type LabHost, type LabState } from './lab-state.js';
import { runChecked } from './run-command.js';

export async function mountHostOverlay(state: LabState, host: LabHost): Promise<void> {
  for (const d of [host.upper, host.work, host.merged]) mkdirSync(d, { recursive: true });
  recordResource(state, { kind: 'mount', target: host.merged });
  await runChecked([
    'mount', '-t', 'overlay', 'overlay',
    '-o', `lowerdir=${state.baseDir},upperdir=${host.upper},workdir=${host.work}`,
    host.merged,
  ]);
}
