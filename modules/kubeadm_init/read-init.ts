/**
 * What kubeadm_init reads, in ONE round trip: admin.conf present, the recorded configuration,
 * the id (never the secret) of the recorded join token, whether a certificate key is recorded,
 * whether the API answers, and `kubeadm token list` with every token's secret half cut off ON
 * THE HOST (sed), so no secret reaches the controller. Parsers are pure (captured output in
 * testdata/).
 */
import { sh, type Probe } from '../../src/module-api/index.js';
import { ADMIN_CONF } from './args.js';

export interface BootstrapTokenRow {
  readonly id: string;
  /** Seconds left (lower bound from kubeadm's short TTL: "23h" = 23 h); Infinity for <forever>. */
  readonly ttlSeconds: number;
  readonly description: string;
}

export interface KubeadmInitCurrent {
  readonly initialized: boolean;
  readonly apiUp: boolean;
  readonly recordedConfig: string | null;
  readonly recordedTokenId: string | null;
  readonly certificateKeyRecorded: boolean;
  readonly tokens: readonly BootstrapTokenRow[];
}

export function readScript(dir: string) {
  return sh`d=${dir}; a=${ADMIN_CONF}
if [ -f "$a" ]; then echo admin=yes; else echo admin=no; fi
if [ -f "$d/kubeadm-config.yaml" ]; then echo "config=$(base64 -w0 "$d/kubeadm-config.yaml")"; fi
if [ -s "$d/token" ]; then echo "token_id=$(cut -c1-6 "$d/token")"; fi
if [ -s "$d/certificate-key" ]; then echo cert_key=yes; fi
if [ -f "$a" ]; then
  if kubectl --kubeconfig "$a" get --raw /healthz >/dev/null 2>&1; then echo api=ok; else echo api=down; fi
  kubeadm token list --kubeconfig "$a" 2>/dev/null | sed -E 's/^([a-z0-9]{6})\\.[a-z0-9]{16}/\\1/; s/^/token /'
fi
true`;
}

/** kubeadm's duration.ShortHumanDuration back to seconds (the lower bound of what it means). */
export function parseShortTtl(s: string): number {
  if (s === '<forever>') return Infinity;
  const m = /^(\d+)([smhdy])$/.exec(s);
  if (!m) return 0; // <invalid>, 0s
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400, y: 365 * 86400 }[m[2] as 's']!;
}

export function parseReadOutput(out: string): KubeadmInitCurrent {
  const lines = out.split('\n');
  const kv = (k: string) => lines.find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1) ?? null;
  const config = kv('config');
  const tokens: BootstrapTokenRow[] = [];
  for (const l of lines) {
    if (!l.startsWith('token ')) continue;
    const cols = l.slice(6).trim().split(/\s{2,}|\t+/);
    if (cols[0] === 'TOKEN' || !/^[a-z0-9]{6}$/.test(cols[0] ?? '')) continue;
    tokens.push({ id: cols[0]!, ttlSeconds: parseShortTtl(cols[1] ?? ''), description: cols[4] ?? '' });
  }
  return {
    initialized: kv('admin') === 'yes',
    apiUp: kv('api') === 'ok',
    recordedConfig: config === null ? null : Buffer.from(config, 'base64').toString('utf8'),
    recordedTokenId: kv('token_id'),
    certificateKeyRecorded: kv('cert_key') === 'yes',
    tokens,
  };
}

export async function readInit(probe: Probe, dir: string): Promise<KubeadmInitCurrent> {
  const r = await probe.exec(readScript(dir), { timeoutMs: 60_000 });
  return parseReadOutput(r.stdout);
}
