/**
 * `get_url`: download a file on the host (curl), verified by its sha256, atomically into place.
 * read is ONE round trip (read-dest.ts: existence + sha256 + attributes of dest); plan is the
 * pure plan-get-url.ts. The controller never touches the file: the host downloads it.
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { getUrlArgsSchema, type GetUrlArgs } from './args.js';
import { planGetUrl } from './plan-get-url.js';
import { destReadScript, parseDest, type DestFacts } from './read-dest.js';

export default defineModule<GetUrlArgs, DestFacts>({
  name: 'get_url',
  summary: 'Download a file on the host with curl, verify its sha256 and move it into place atomically; set mode/owner/group.',
  args: getUrlArgsSchema,
  examples: [
    `- name: k3s binary
  get_url:
    url: "https://github.com/k3s-io/k3s/releases/download/{{ k3s_version }}/k3s"
    dest: /usr/local/bin/k3s
    checksum: "sha256:{{ k3s_sha256 }}"
    mode: "0755"`,
  ],

  async read(probe, args) {
    const r = await probe.exec(destReadScript(args.dest));
    try {
      if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr.trim()}`);
      return parseDest(r.stdout);
    } catch (err) {
      throw new TaskFailure(`cannot read ${args.dest}: ${(err as Error).message}`, 'get_url needs sha256sum and GNU stat (coreutils) on the host');
    }
  },

  plan: planGetUrl,
});
