/**
 * The pure decision of `get_url`: (args, DestFacts) -> Changes. No I/O.
 * - dest already has the checksum: no download; only differing mode/owner/group are fixed.
 * - otherwise ONE exec step downloads on the host into a temp file in dest's directory,
 *   verifies the sha256 (mismatch: temp removed, dest untouched, the task fails saying both
 *   digests), sets mode/owner/group on the temp file, then renames it over dest (atomic).
 * - force without checksum: the download runs every time and is marked `maybe`.
 */
import { sh, TaskFailure, type Change, type ShellScript } from '../../src/module-api/index.js';
import type { GetUrlArgs } from './args.js';
import type { DestFacts } from './read-dest.js';

export function normalizeMode(mode: string | number | undefined): string | undefined {
  if (mode === undefined) return undefined;
  const digits = String(mode).replace(/^0o/, '');
  if (!/^[0-7]{3,4}$/.test(digits)) throw new TaskFailure(`mode ${JSON.stringify(mode)} is not an octal mode`, 'quote it: mode: "0755"');
  return digits.padStart(4, '0');
}

export function expectedSha(args: GetUrlArgs): string | null {
  if (args.checksum === undefined) {
    if (args.force) return null;
    throw new TaskFailure(`get_url ${args.dest}: checksum is required`, 'give checksum: "sha256:<hex>" (e.g. from the release\'s sha256sum file), or force: true to download every time');
  }
  return args.checksum.slice('sha256:'.length).toLowerCase();
}

export function planGetUrl(args: GetUrlArgs, cur: DestFacts): Change[] {
  const sha = expectedSha(args);
  const mode = normalizeMode(args.mode);
  if (cur.kind === 'notfile') throw new TaskFailure(`${args.dest} exists and is not a regular file`, 'dest must be the path of a file, not a directory');
  if (cur.kind === 'file' && sha !== null && cur.sha256 === sha) return attributeChanges(args, mode, cur);
  const change: Change = {
    summary: `download ${args.url} -> ${args.dest}${cur.kind === 'file' ? ` (replaces sha256:${cur.sha256.slice(0, 12)}…)` : ''}`,
    steps: [{ kind: 'exec', cmd: downloadScript(args, sha, mode), timeoutMs: ((args.timeout ?? 60) + 30) * 1000 }],
  };
  return [sha === null ? { ...change, maybe: true } : change];
}

function attributeChanges(args: GetUrlArgs, mode: string | undefined, cur: Extract<DestFacts, { kind: 'file' }>): Change[] {
  const changes: Change[] = [];
  const ownerDiffers = args.owner !== undefined && args.owner !== cur.owner && args.owner !== String(cur.uid);
  const groupDiffers = args.group !== undefined && args.group !== cur.group && args.group !== String(cur.gid);
  if (ownerDiffers || groupDiffers) {
    const spec = `${ownerDiffers ? args.owner : ''}${groupDiffers ? `:${args.group}` : ''}`;
    changes.push({ summary: `chown ${spec} ${args.dest}`, steps: [{ kind: 'exec', cmd: ['chown', spec, '--', args.dest] }] });
  }
  if (mode !== undefined && mode !== cur.mode) {
    changes.push({ summary: `mode ${cur.mode} -> ${mode} (${args.dest})`, steps: [{ kind: 'exec', cmd: ['chmod', mode, '--', args.dest] }] });
  }
  return changes;
}

/** Download, verify, set attributes, rename. The temp file is removed on every failure. */
export function downloadScript(args: GetUrlArgs, sha: string | null, mode: string | undefined): ShellScript {
  const timeout = args.timeout ?? 60;
  const verify =
    sha === null
      ? sh``
      : sh`got=$(sha256sum -- "$tmp" | cut -d' ' -f1)
if [ "$got" != ${sha} ]; then echo "checksum mismatch for "${args.url}": expected sha256:"${sha}", got sha256:$got; "${args.dest}" left unchanged" >&2; exit 1; fi
`;
  const chmod = mode !== undefined ? sh`chmod ${mode} "$tmp"` : sh`if [ -f "$dest" ]; then chmod --reference="$dest" "$tmp"; else chmod 0644 "$tmp"; fi`;
  const owner = args.owner !== undefined || args.group !== undefined ? sh`chown ${`${args.owner ?? ''}${args.group !== undefined ? `:${args.group}` : ''}`} "$tmp"\n` : sh``;
  return sh`set -e
dest=${args.dest}
tmp=$(mktemp "$(dirname "$dest")/.k3play-get_url.XXXXXX")
trap 'rm -f "$tmp"' EXIT
curl -fsSL --max-time ${timeout} -o "$tmp" ${args.url}
${verify}${owner}${chmod}
mv -f "$tmp" "$dest"
trap - EXIT`;
}
