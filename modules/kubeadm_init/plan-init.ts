/**
 * kubeadm_init's plan (pure): init when there is no admin.conf; refuse a cluster initialised
 * with another configuration (kubeadm cannot change it in place); keep the join material fresh
 * when asked (a token valid for min_token_ttl more seconds, uploaded certificates living for
 * min_certs_ttl more). Every secret is made ON THE HOST (kubeadm token generate / certs
 * certificate-key) into 0600 files of material_dir and reaches kubeadm only inside a 0600
 * config file: never an argument, never in output (kubeadm's own output, which prints the join
 * commands, goes to a 0600 log; on failure its tail is shown with tokens and keys masked).
 */
import { sh, TaskFailure, type Change } from '../../src/module-api/index.js';
import { ADMIN_CONF, DEFAULT_MATERIAL_DIR, type KubeadmInitArgs } from './args.js';
import type { KubeadmInitCurrent } from './read-init.js';
import { renderKubeadmConfig } from './render-config.js';

export const CERTS_PROXY_DESCRIPTION = 'kubeadm-certs';
/** sed program that masks bootstrap tokens and hex keys in kubeadm's output before it is shown. */
export const MASK_SED = 's/[a-z0-9]{6}\\.[a-z0-9]{16}/<token>/g; s/[0-9a-f]{64}/<key>/g';

function dirOf(a: KubeadmInitArgs): string {
  return a.material_dir ?? DEFAULT_MATERIAL_DIR;
}

function initChange(a: KubeadmInitArgs, config: string): Change {
  const d = dirOf(a);
  const upload = a.upload_certs ?? true;
  const ttl = a.token_ttl ?? '24h0m0s';
  const script = sh`set -e; umask 077; d=${d}
systemctl enable kubelet.service 2>/dev/null  # the guide's "systemctl enable kubelet": started again at boot
kubeadm token generate > "$d/token.new"
kubeadm certs certificate-key > "$d/certificate-key.new"
{ cat "$d/kubeadm-config.yaml"
  printf 'bootstrapTokens:\\n- token: "%s"\\n  ttl: %s\\n  description: k3play join token\\n' "$(cat "$d/token.new")" ${ttl}
  printf 'certificateKey: "%s"\\n' "$(cat "$d/certificate-key.new")"; } > "$d/init.yaml"
if kubeadm init --config "$d/init.yaml" ${upload ? '--upload-certs' : '--skip-phases=upload-certs'} > "$d/init.log" 2>&1; then
  rm -f "$d/init.yaml"; mv "$d/token.new" "$d/token"; mv "$d/certificate-key.new" "$d/certificate-key"
  # the API through controlPlaneEndpoint (the load balancer marks the new backend up after its checks)
  i=0; until kubectl --kubeconfig ${ADMIN_CONF} get --raw /healthz >/dev/null 2>&1; do i=$((i+1)); [ $i -lt 120 ] || { echo "the API does not answer through ${a.control_plane_endpoint} 60 s after kubeadm init" >&2; exit 1; }; sleep 0.5; done
else
  rc=$?; rm -f "$d/init.yaml" "$d/token.new" "$d/certificate-key.new"
  echo "kubeadm init failed (exit $rc); the end of $d/init.log, tokens and keys masked:" >&2
  tail -n 25 "$d/init.log" | sed -E ${MASK_SED} >&2; exit $rc
fi`;
  return {
    summary: `kubeadm init (controlPlaneEndpoint ${a.control_plane_endpoint}, Kubernetes ${a.kubernetes_version}${upload ? ', --upload-certs' : ''}); join token and certificate key recorded in ${d} (0600)`,
    diff: { path: `${d}/kubeadm-config.yaml`, before: null, after: config },
    steps: [
      { kind: 'exec', cmd: sh`install -d -m 0700 ${d}` },
      { kind: 'put', path: `${d}/kubeadm-config.yaml`, content: config, mode: '0600' },
      { kind: 'exec', cmd: script, timeoutMs: (a.init_timeout ?? 300) * 1000 },
    ],
  };
}

function tokenChange(a: KubeadmInitArgs, why: string): Change {
  const d = dirOf(a);
  const ttl = a.token_ttl ?? '24h0m0s';
  return {
    summary: `create a join token (ttl ${ttl}): ${why}`,
    steps: [
      {
        kind: 'exec',
        cmd: sh`set -e; umask 077; d=${d}; kubeadm token create --kubeconfig ${ADMIN_CONF} --ttl ${ttl} --description 'k3play join token' > "$d/token.new"; mv "$d/token.new" "$d/token"`,
        timeoutMs: 60_000,
      },
    ],
  };
}

function certsChange(a: KubeadmInitArgs, why: string): Change {
  const d = dirOf(a);
  const script = sh`set -e; umask 077; d=${d}
kubeadm certs certificate-key > "$d/certificate-key.new"
{ cat "$d/kubeadm-config.yaml"; printf 'certificateKey: "%s"\\n' "$(cat "$d/certificate-key.new")"; } > "$d/upload.yaml"
if kubeadm init phase upload-certs --upload-certs --config "$d/upload.yaml" > "$d/upload.log" 2>&1; then
  rm -f "$d/upload.yaml"; mv "$d/certificate-key.new" "$d/certificate-key"
else
  rc=$?; rm -f "$d/upload.yaml" "$d/certificate-key.new"
  echo "kubeadm init phase upload-certs failed (exit $rc):" >&2; tail -n 15 "$d/upload.log" | sed -E ${MASK_SED} >&2; exit $rc
fi`;
  return { summary: `upload the control-plane certificates again with a new certificate key (kubeadm-certs lives 2 h): ${why}`, steps: [{ kind: 'exec', cmd: script, timeoutMs: (a.init_timeout ?? 300) * 1000 }] };
}

function ttlText(s: number): string {
  return s === Infinity ? 'never expires' : `${Math.floor(s / 60)} min left`;
}

export function planInit(a: KubeadmInitArgs, cur: KubeadmInitCurrent): Change[] {
  const config = renderKubeadmConfig(a);
  const d = dirOf(a);
  if (!cur.initialized) return [initChange(a, config)];
  if (!cur.apiUp) {
    throw new TaskFailure(
      `${ADMIN_CONF} exists but the API server at ${a.control_plane_endpoint} does not answer (kubectl get --raw /healthz failed)`,
      'check the load balancer (haproxy, the VIP) and the control planes (systemctl status kubelet); kubeadm_init does not initialise a host that already has admin.conf (kubeadm_reset first to rebuild it)',
    );
  }
  const changes: Change[] = [];
  if (cur.recordedConfig === null) {
    changes.push({
      summary: `record the configuration of the existing cluster in ${d}/kubeadm-config.yaml`,
      diff: { path: `${d}/kubeadm-config.yaml`, before: null, after: config },
      steps: [
        { kind: 'exec', cmd: sh`install -d -m 0700 ${d}` },
        { kind: 'put', path: `${d}/kubeadm-config.yaml`, content: config, mode: '0600' },
      ],
    });
  } else if (cur.recordedConfig !== config) {
    throw new TaskFailure(
      `the cluster was initialised with another configuration than the one asked for (${d}/kubeadm-config.yaml differs); kubeadm cannot change controlPlaneEndpoint, subnets or versions of a running cluster in place`,
      'put the variables back as they were (compare with the recorded file), or change the cluster with its own procedure (kubeadm upgrade, or rebuild with kubeadm_reset)',
    );
  }
  if (a.refresh_token) {
    const t = cur.recordedTokenId ? cur.tokens.find((x) => x.id === cur.recordedTokenId) : undefined;
    const min = a.min_token_ttl ?? 3600;
    if (!cur.recordedTokenId) changes.push(tokenChange(a, 'no join token recorded'));
    else if (!t) changes.push(tokenChange(a, `token ${cur.recordedTokenId} has expired (tokens live ${a.token_ttl ?? '24h0m0s'})`));
    else if (t.ttlSeconds < min) changes.push(tokenChange(a, `token ${t.id} has ${ttlText(t.ttlSeconds)}, less than ${min} s`));
  }
  if (a.refresh_certificate_key && (a.upload_certs ?? true)) {
    const proxies = cur.tokens.filter((x) => x.description.includes(CERTS_PROXY_DESCRIPTION));
    const left = Math.max(-1, ...proxies.map((x) => x.ttlSeconds));
    const min = a.min_certs_ttl ?? 900;
    if (!cur.certificateKeyRecorded) changes.push(certsChange(a, 'no certificate key recorded'));
    else if (proxies.length === 0) changes.push(certsChange(a, 'the uploaded certificates have expired'));
    else if (left < min) changes.push(certsChange(a, `the uploaded certificates have ${ttlText(left)}, less than ${min} s`));
  }
  return changes;
}
