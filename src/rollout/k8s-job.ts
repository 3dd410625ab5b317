/**
 * `k3play rollout --emit-k8s-job FILE`: the rollout as an Indexed Kubernetes Job, so a
 * management cluster's scheduler fans the sites out over many machines (docs/scale.md).
 *
 *   ConfigMap  the playbook's directory, every site's inventory files (with group_vars/,
 *              host_vars/ and known_hosts beside them), -e @files, and a generated site list
 *              (sites.yml) pointing at them, mounted read-only at /k3play
 *   Job        completionMode Indexed, one completion per site (completions = sites),
 *              parallelism = --site-concurrency, backoffLimitPerIndex 0 (a failed site is
 *              resumed by a person, not retried blindly), maxFailedIndexes = --max-failed-sites;
 *              each pod runs `k3play rollout ... --site-index $(JOB_COMPLETION_INDEX)
 *              --rollout-id ID --journal-dir /journal`: the site's journal lands on a
 *              PersistentVolumeClaim (ReadWriteMany), one file per site, and `k3play report ID
 *              --journal-dir MOUNT` reads it like a local rollout.
 *
 * SSH keys and vault passwords never go into the ConfigMap: they come from Secrets (by name)
 * mounted into the pod. Inline -e values are refused (they would sit in the Job spec): put them
 * in a file and pass -e @file. Canary and waves are controller-side ideas a Job does not have:
 * they are refused too (run the canary with `k3play rollout --canary` first).
 * Pure apart from reading the files it packs.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { K3playError, type Problem } from '../errors/k3play-error.js';
import { isSecret } from '../module-api/secret.js';
import type { RolloutMeta } from './rollout-journal.js';
import type { Site } from './site-list.js';
import { parseFailureBudget } from './wave-plan.js';

export interface K8sJobInput {
  readonly meta: RolloutMeta;
  readonly sites: readonly Site[];
  readonly rawArgs: { readonly extraVars: readonly string[] };
  readonly image?: string | undefined;
  readonly namespace?: string | undefined;
  /** Secret with the SSH key(s) (id_ed25519, ...) and optionally known_hosts, mounted at /root/.ssh. */
  readonly sshSecret?: string | undefined;
  /** PersistentVolumeClaim for the journal (ReadWriteMany). */
  readonly journalClaim?: string | undefined;
  /** Secret with a `password` key, when the rollout reads vault files. */
  readonly vaultSecret?: string | undefined;
  readonly version?: string;
}

/** ConfigMaps are limited to 1 MiB in total (etcd's object size limit). */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;
const MOUNT = '/k3play';
const JOURNAL = '/journal';

export async function emitK8sJob(input: K8sJobInput): Promise<string> {
  const { meta } = input;
  const f = meta.flags;
  const problems: Problem[] = [];
  if (f.canary > 0) problems.push({ context: '--emit-k8s-job', message: '--canary has no meaning in a Kubernetes Job (it has no waves)', hint: 'run the canary first: k3play rollout PLAYBOOK --sites ... --canary 1, then emit the Job for the rest' });
  if (f.waves !== '100%') problems.push({ context: '--emit-k8s-job', message: '--waves has no meaning in a Kubernetes Job', hint: 'the Job runs --site-concurrency sites at a time; emit one Job per wave if you need waves' });
  for (const e of input.rawArgs.extraVars) {
    if (!e.trim().startsWith('@')) problems.push({ context: '--emit-k8s-job', message: `-e ${JSON.stringify(e.length > 40 ? `${e.slice(0, 40)}...` : e)} would be written into the Job spec`, hint: 'put the variables in a file and pass -e @vars.yml (vault-encrypt it if it holds secrets)' });
  }
  for (const s of input.sites) {
    for (const [k, v] of Object.entries(s.vars)) {
      if (isSecret(v)) problems.push({ loc: s.loc, context: `site ${s.name}`, message: `site variable ${k} is a vault value: it cannot go into a ConfigMap decrypted`, hint: 'move it into a vault-encrypted group_vars file beside the site inventory' });
    }
  }
  if (problems.length > 0) throw new K3playError(problems);

  const files = new FilePack(meta.cwd);
  for (const file of await filesUnder(path.dirname(meta.playbook))) await files.add(file);
  const siteList = [];
  for (const s of input.sites) {
    const inventories: string[] = [];
    for (const inv of s.inventories) {
      const st = await stat(inv);
      if (st.isDirectory()) for (const file of await filesUnder(inv)) await files.add(file);
      else {
        await files.add(inv);
        const dir = path.dirname(inv);
        for (const side of ['group_vars', 'host_vars']) for (const file of await filesUnder(path.join(dir, side))) await files.add(file);
        const kh = path.join(dir, 'known_hosts');
        if (await stat(kh).catch(() => null)) await files.add(kh);
      }
      inventories.push(files.inPod(inv));
    }
    siteList.push({ name: s.name, inventory: inventories, ...(Object.keys(s.vars).length > 0 ? { vars: s.vars } : {}) });
  }
  const extraArgs: string[] = [];
  for (const e of input.rawArgs.extraVars) {
    const file = path.resolve(meta.cwd, e.trim().slice(1));
    await files.add(file);
    extraArgs.push('-e', `@${files.inPod(file)}`);
  }
  files.addText('sites.yml', 'sites.yml', stringify({ sites: siteList }));
  if (files.bytes > CONFIGMAP_LIMIT_BYTES) {
    throw new K3playError({
      context: '--emit-k8s-job',
      message: `the playbook and ${input.sites.length} site inventories take ${files.bytes} bytes: more than a ConfigMap holds (1 MiB)`,
      hint: 'split the sites into several Jobs (several --sites lists), or ship inventories in the image or on a volume (docs/scale.md)',
    });
  }

  const id = meta.id.toLowerCase();
  const name = `k3play-rollout-${id}`.slice(0, 63).replace(/-+$/, '');
  const labels = { 'app.kubernetes.io/name': 'k3play', 'app.kubernetes.io/component': 'rollout', 'k3play.io/rollout': id };
  const ns = input.namespace ? { namespace: input.namespace } : {};
  const n = input.sites.length;
  const budget = f.maxFailedSites !== undefined ? parseFailureBudget(f.maxFailedSites) : undefined;
  const maxFailed = budget === undefined ? undefined : 'count' in budget ? budget.count : Math.floor((n * budget.percent) / 100);
  const args = [
    'rollout',
    files.inPod(meta.playbook),
    '--sites', `${MOUNT}/sites.yml`,
    '--site-index', '$(JOB_COMPLETION_INDEX)',
    '--rollout-id', meta.id,
    '--journal-dir', JOURNAL,
    '--forks', String(f.forks),
    ...(f.check ? ['--check'] : []),
    ...(f.diff ? ['--diff'] : []),
    ...(f.limit ? ['--limit', f.limit] : []),
    ...(f.tags.length > 0 ? ['--tags', f.tags.join(',')] : []),
    ...(f.skipTags.length > 0 ? ['--skip-tags', f.skipTags.join(',')] : []),
    ...extraArgs,
  ];
  const env: Record<string, unknown>[] = [
    // Declared explicitly so `$(JOB_COMPLETION_INDEX)` in args expands on every Kubernetes version.
    { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    { name: 'CI', value: '1' },
  ];
  if (input.vaultSecret) env.push({ name: 'K3PLAY_VAULT_PASSWORD_FILE', value: '/var/run/k3play-vault/password' });
  const volumeMounts: Record<string, unknown>[] = [
    { name: 'config', mountPath: MOUNT, readOnly: true },
    { name: 'journal', mountPath: JOURNAL },
    { name: 'ssh', mountPath: '/root/.ssh', readOnly: true },
  ];
  const volumes: Record<string, unknown>[] = [
    { name: 'config', configMap: { name, items: files.items() } },
    { name: 'journal', persistentVolumeClaim: { claimName: input.journalClaim ?? 'k3play-journal' } },
    { name: 'ssh', secret: { secretName: input.sshSecret ?? 'k3play-ssh', defaultMode: 0o400 } },
  ];
  if (input.vaultSecret) {
    volumeMounts.push({ name: 'vault', mountPath: '/var/run/k3play-vault', readOnly: true });
    volumes.push({ name: 'vault', secret: { secretName: input.vaultSecret, defaultMode: 0o400 } });
  }
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...ns, labels }, data: files.data() };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...ns, labels },
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: Math.max(1, Math.min(f.siteConcurrency, n)),
      backoffLimitPerIndex: 0,
      ...(maxFailed !== undefined ? { maxFailedIndexes: maxFailed } : {}),
      ttlSecondsAfterFinished: 7 * 86_400,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'k3play',
              image: input.image ?? `k3play:${input.version ?? 'latest'}`,
              args,
              env,
              workingDir: '/work',
              volumeMounts: [...volumeMounts, { name: 'work', mountPath: '/work' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
            },
          ],
          volumes: [...volumes, { name: 'work', emptyDir: {} }],
        },
      },
    },
  };
  const header = `# k3play rollout ${meta.id}: ${n} sites, ${job.spec.parallelism} at a time (kubectl apply -f THIS_FILE)\n`;
  return `${header}${stringify(configMap, { lineWidth: 0 })}---\n${stringify(job, { lineWidth: 0 })}`;
}

/** Files for the ConfigMap: keys are flat ([-._a-zA-Z0-9]), `items` put each back at its path. */
class FilePack {
  readonly #root: string;
  readonly #byPath = new Map<string, { key: string; rel: string; text: string }>();
  bytes = 0;

  constructor(root: string) {
    this.#root = root;
  }

  async add(abs: string): Promise<void> {
    if (this.#byPath.has(abs)) return;
    const text = await readFile(abs, 'utf8');
    this.addText(abs, this.#rel(abs), text);
  }

  addText(id: string, rel: string, text: string): void {
    const key = `f${this.#byPath.size}-${path.basename(rel).replace(/[^-._a-zA-Z0-9]/g, '_')}`.slice(0, 253);
    this.#byPath.set(id, { key: rel === 'sites.yml' ? 'sites.yml' : key, rel, text });
    this.bytes += Buffer.byteLength(text) + key.length;
  }

  inPod(abs: string): string {
    return `${MOUNT}/${this.#rel(abs)}`;
  }

  items(): { key: string; path: string }[] {
    return [...this.#byPath.values()].map((f) => ({ key: f.key, path: f.rel }));
  }

  data(): Record<string, string> {
    return Object.fromEntries([...this.#byPath.values()].map((f) => [f.key, f.text]));
  }

  #rel(abs: string): string {
    const rel = path.relative(this.#root, abs);
    return rel.startsWith('..') || path.isAbsolute(rel) ? `_root${abs}` : rel;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const n of names.sort()) {
    if (n.startsWith('.') || n.endsWith('~')) continue;
    const p = path.join(dir, n);
    const st = await stat(p).catch(() => null);
    if (st?.isDirectory()) out.push(...(await filesUnder(p)));
    else if (st?.isFile()) out.push(p);
  }
  return out;
}
