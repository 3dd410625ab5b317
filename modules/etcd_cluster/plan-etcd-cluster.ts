/**
 * The pure decision of `etcd_cluster`: (args, EtcdHostState) -> Changes. No I/O.
 *
 * In order: write /etc/default/etcd (with a diff; it holds paths, never keys), enable etcd, then
 * the running state: a member that is not running is started with --no-block (a new cluster's
 * members wait for each other: Type=notify blocks until quorum, so they must all be started
 * before anyone waits; the runbook waits with etcd_check); a running member whose settings
 * changed (other than ETCD_INITIAL_*) is restarted, only if the quorum guard allows it, and then
 * waited for until it answers again. Membership is never changed here: a member whose peer URL
 * differs from the inventory, or a new host that is not a member yet, is refused with the
 * runbook to use.
 */
import { TaskFailure, type Change, type ExecStep } from '../../src/module-api/index.js';
import type { ClusterView } from './cluster-view.js';
import { resolveRef, type EtcdMemberSettings, type ResolvedRef } from './etcd-args.js';
import { changedVars, CONFIG_FILE, needsRestart, parseEnvFile, renderEtcdConfig } from './etcd-config.js';
import { etcdctl } from './etcdctl.js';
import { wantedConfig, type WantedConfig } from './member-config.js';
import { quorumRefusal } from './quorum.js';
import type { EtcdHostState } from './read-etcd-host.js';

const SYSTEMCTL_TIMEOUT_MS = 150_000;
const RUNNING = ['active', 'activating', 'reloading'];
const ENABLED = ['enabled', 'enabled-runtime', 'alias', 'indirect'];

export function planEtcdCluster(args: EtcdMemberSettings, cur: EtcdHostState): Change[] {
  const ref = resolveRef(args);
  const want = wantedConfig(args, ref, cur);
  refuseMembershipDrift(want, cur.view);
  return planMemberConfig(args, ref, want, cur, 'etcd_cluster');
}

/** etcd_cluster never changes membership: an initialized member registered with another peer URL needs change-node-ip.yml. */
function refuseMembershipDrift(want: WantedConfig, view: ClusterView): void {
  if (want.mode !== 'initialized' || view.kind !== 'cluster') return;
  const own = view.members.find((m) => m.name === want.self.name);
  if (!own) {
    throw new TaskFailure(
      `${want.self.name} has etcd data but is not a member of the cluster (was it removed?)`,
      'replace it: wipe its data directory and add it again with playbooks/runbooks/replace-etcd-member.yml',
    );
  }
  if (own.peerUrls.length !== 1 || own.peerUrls[0] !== want.self.peerUrl) {
    throw new TaskFailure(
      `${want.self.name} is registered with peer URL ${own.peerUrls.join(' ')}, the inventory says ${want.self.peerUrl}`,
      'its address changed: run playbooks/runbooks/change-node-ip.yml (etcd_member_update), which updates the member and its certificates safely',
    );
  }
}

/**
 * Config file, enablement and running state of a member (shared with etcd_member_update, whose
 * `restartAlways` makes a member update take effect even when the file is already right).
 */
export function planMemberConfig(args: EtcdMemberSettings, ref: ResolvedRef, want: WantedConfig, cur: EtcdHostState, who: string, restartAlways = false): Change[] {
  const changes: Change[] = [];
  const after = renderEtcdConfig(want.config);
  const changed = cur.config === null ? ['(new file)'] : changedVars(parseEnvFile(cur.config), parseEnvFile(after));
  const fileDiffers = cur.config !== after;
  if (fileDiffers) {
    const members = ref.members.map((m) => m.name).join(', ');
    const what =
      cur.config === null || want.mode === 'join' || want.mode === 'bootstrap'
        ? want.mode === 'join'
          ? `member ${want.self.name} joining the running cluster (initial-cluster-state existing)`
          : want.mode === 'bootstrap'
            ? `member ${want.self.name} of a new cluster (${members})${cur.view.kind === 'no-client' ? '; the cluster is not visible from this host yet (no etcdctl certificate), so a new one is assumed' : ''}`
            : `member ${want.self.name}`
        : changed.length > 0
          ? `${changed.join(', ')} changed${needsRestart(changed) ? '' : ' (read only at bootstrap: no restart needed)'}`
          : 'formatting only';
    changes.push({
      summary: `${cur.config === null ? 'create' : 'update'} ${CONFIG_FILE}: ${what}`,
      steps: [{ kind: 'put', path: CONFIG_FILE, content: after, mode: '0644', owner: 'root', group: 'root' }],
      diff: { path: CONFIG_FILE, before: cur.config, after },
    });
  }
  if (!ENABLED.includes(cur.enabled)) changes.push({ summary: 'enable etcd', steps: [systemctl('enable')] });

  const running = RUNNING.includes(cur.active);
  const restart = running && cur.initialized && ((fileDiffers && needsRestart(changed)) || restartAlways);
  if (!running) {
    changes.push({
      summary: `start etcd without waiting (${want.mode === 'bootstrap' ? 'a new cluster forms once a quorum of members has started' : want.mode === 'join' ? 'it joins the running cluster' : 'it rejoins the cluster'})`,
      steps: [systemctl('start', true)],
    });
  } else if (!cur.initialized && fileDiffers && needsRestart(changed)) {
    // Started but still waiting for its peers (no data yet): pick up the new settings.
    changes.push({ summary: 'restart etcd (not initialized yet, waiting for peers) without waiting', steps: [systemctl('restart', true)] });
  } else if (restart) {
    const refusal = cur.view.kind === 'cluster' ? quorumRefusal(cur.view.members, { kind: 'stop', member: want.self.name }) : `the cluster is not visible from this host (${cur.view.kind === 'unreachable' ? cur.view.error : 'no etcdctl certificate'})`;
    if (refusal !== null && !(args.force ?? false)) {
      throw new TaskFailure(`${who}: refusing to restart etcd on ${want.self.name}: ${refusal}`, `bring the members that are down back first, then run again; or set force: true to restart anyway (the cluster stops serving until enough members are back)`);
    }
    changes.push({
      summary: `${refusal !== null ? `FORCED (${refusal}) ` : ''}restart etcd on ${want.self.name} and wait until it answers`,
      steps: [systemctl('restart', false), { kind: 'exec', cmd: etcdctl(ref.tls, [`https://127.0.0.1:${ref.clientPort}`], ['endpoint', 'health']), retry: { attempts: 60, delayMs: 1000 } }],
    });
  }
  return changes;
}

function systemctl(verb: 'enable' | 'start' | 'restart', noBlock = false): ExecStep {
  return { kind: 'exec', cmd: ['systemctl', ...(noBlock ? ['--no-block'] : []), verb, 'etcd'], timeoutMs: SYSTEMCTL_TIMEOUT_MS };
}
