/**
 * formatFacts: HostFacts -> YAML text for `k3play facts HOST` (optionally with the ansible_*
 * aliases as templates see them). Pure: returns a string, prints nothing.
 */
import { stringify } from 'yaml';
import { ansibleFacts } from './ansible-aliases.js';
import type { HostFacts } from './host-facts.js';

export interface FormatFactsOptions {
  /** Also print `ansible_facts` (the aliases templates get). */
  readonly ansible?: boolean;
}

export function formatFacts(f: HostFacts, opts: FormatFactsOptions = {}): string {
  const doc: Record<string, unknown> = { facts: f };
  if (opts.ansible) doc['ansible_facts'] = ansibleFacts(f);
  // aliasDuplicateObjects off: shared sub-objects are printed in full, never as &anchors.
  return stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}
