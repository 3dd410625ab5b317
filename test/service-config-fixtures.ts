/**
 * Unit-test fixtures for the "service with one config file" modules (keepalived, haproxy):
 * a ServiceConfigCurrent of a running, enabled daemon, and plans with Secret put contents
 * revealed (Secret instances all look alike to toEqual, so tables compare the text). Tests only.
 */
import { isSecret, type Change } from '../src/module-api/index.js';
import type { ServiceConfigCurrent } from '../modules/systemd_unit/service-config-read.js';

export function runningService(config: string | null, over: Partial<ServiceConfigCurrent> = {}): ServiceConfigCurrent {
  return { installed: true, dirExists: true, config, mode: config === null ? null : '0600', loadState: 'loaded', activeState: 'active', isEnabled: 'enabled', ...over };
}

/** The changes with each Secret put content replaced by `SECRET:<text>`. */
export function revealPuts(changes: readonly Change[]): unknown[] {
  return changes.map((c) => ({ ...c, steps: c.steps.map((s) => (s.kind === 'put' && isSecret(s.content) ? { ...s, content: `SECRET:${s.content.reveal()}` } : s)) }));
}
