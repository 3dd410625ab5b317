/**
 * The pure decision of `k3s_datastore`: rewrite the datastore-* keys of k3s's config.yaml (YAML,
 * keys = k3s flags without "--"), every other byte of the file kept as it is (the value is
 * spliced in at the position the yaml parser reports; a missing key is appended), then restart
 * k3s if it is active. The diff shows only the datastore keys:
 * the file usually holds the cluster token too. No I/O.
 */
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { K3sDatastoreArgs } from './args.js';

export interface K3sConfigState {
  /** config.yaml's text, or null when k3s has no config file on this host. */
  readonly config: string | null;
  /** `systemctl is-active k3s`. */
  readonly active: string;
}

export const DEFAULT_K3S_CONFIG = '/etc/rancher/k3s/config.yaml';

export function wantedKeys(args: K3sDatastoreArgs): [string, string][] {
  const keys: [string, string | undefined][] = [
    ['datastore-endpoint', args.endpoint],
    ['datastore-cafile', args.cafile],
    ['datastore-certfile', args.certfile],
    ['datastore-keyfile', args.keyfile],
  ];
  return keys.filter((k): k is [string, string] => k[1] !== undefined);
}

export function planK3sDatastore(args: K3sDatastoreArgs, cur: K3sConfigState): Change[] {
  if (cur.config === null) return [];
  const path = args.config ?? DEFAULT_K3S_CONFIG;
  let doc: Document;
  try {
    doc = parseDocument(cur.config);
    if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
  } catch (e) {
    throw new TaskFailure(`${path} is not valid YAML: ${(e as Error).message}`, 'fix the file by hand (k3s reads it at start)');
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw new TaskFailure(`${path} is not a YAML mapping`, 'k3s config.yaml maps flag names to values');
  const want = wantedKeys(args);
  const differ = want.filter(([k, v]) => String(doc.get(k) ?? '') !== v || typeof doc.get(k) !== 'string');
  if (differ.length === 0) return [];
  const view = (d: Document) => `${want.map(([k]) => `${k}: ${d.has(k) ? String(d.get(k)) : '(unset)'}`).join('\n')}\n`;
  const before = view(doc);
  const after = splice(cur.config, doc, differ);
  const changes: Change[] = [
    {
      summary: `${path}: ${differ.map(([k]) => k).join(', ')} -> ${differ.map(([, v]) => v).join(', ')}`,
      steps: [{ kind: 'put', path, content: after }],
      diff: { path: `${path} (datastore keys only)`, before, after: view(parseDocument(after)) },
    },
  ];
  if ((args.restart ?? true) && ['active', 'activating', 'reloading'].includes(cur.active)) {
    changes.push({
      summary: 'restart k3s to use the new datastore settings, and wait until it is active',
      steps: [
        { kind: 'exec', cmd: ['systemctl', 'restart', 'k3s'], timeoutMs: 300_000 },
        { kind: 'exec', cmd: ['systemctl', 'is-active', '--quiet', 'k3s'], retry: { attempts: 60, delayMs: 1000 } },
      ],
    });
  }
  return changes;
}

/** The text with each key's scalar value replaced in place (from the end, so offsets hold), missing keys appended. */
function splice(text: string, doc: Document, keys: readonly [string, string][]): string {
  const edits: { start: number; end: number; text: string }[] = [];
  let appended = '';
  for (const [k, v] of keys) {
    const node = doc.get(k, true);
    if (isScalar(node) && node.range) edits.push({ start: node.range[0], end: node.range[1], text: yamlScalar(v) });
    else appended += `${k}: ${yamlScalar(v)}\n`;
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (appended !== '') out += `${out === '' || out.endsWith('\n') ? '' : '\n'}${appended}`;
  return out;
}

/** A plain scalar when it cannot be misread, else a double-quoted (JSON) one. */
function yamlScalar(v: string): string {
  return /^[A-Za-z0-9_/.][A-Za-z0-9_.,:/@+=-]*$/.test(v) && !/: |:$/.test(v) ? v : JSON.stringify(v);
}
