/**
 * `haproxy`: the whole haproxy.cfg from args (global, defaults, TCP/HTTP frontends and
 * backends with health-checked servers from inventory groups, a stats page), validated with
 * `haproxy -c -f` on a staged copy before it replaces the old file, then haproxy.service
 * enabled, started, and RELOADED (never restarted) when the config changed, so established
 * connections survive. read is ONE round trip (service-config-read.ts); plan is pure
 * (render-haproxy.ts + plan-service-config.ts). The stats password is a secret argument.
 */
import { defineModule } from '../../src/module-api/index.js';
import { readServiceConfig, type ServiceConfigCurrent } from '../systemd_unit/service-config-read.js';
import { planServiceConfig } from '../systemd_unit/plan-service-config.js';
import { DEFAULT_HAPROXY_CFG, haproxyArgsSchema, type HaproxyArgs } from './args.js';
import { maskHaproxySecrets, renderHaproxy, statsPassword } from './render-haproxy.js';

export default defineModule<HaproxyArgs, ServiceConfigCurrent>({
  name: 'haproxy',
  summary: 'Configure haproxy (TCP frontends, health-checked backends from inventory groups, a stats page), validate with haproxy -c, and reload it.',
  args: haproxyArgsSchema,
  secretArgs: ['stats_password'],
  examples: [
    `- name: the Kubernetes API behind *:16443, round robin over every control plane
  haproxy:
    frontends:
      - { name: kubernetes-apiserver, bind: "*:16443", default_backend: kubernetes-apiserver }
    backends:
      - name: kubernetes-apiserver
        check: { inter: 2s, fall: 3, rise: 2 }
        servers: |
          {{#each (group "servers")}}{{this}} {{hostvars this "ansible_host"}}:6443
          {{/each}}
    stats: { bind: "*:1080", uri: /admin?stats }
    stats_password: "{{ haproxy_stats_password }}"`,
  ],

  read: (probe, args) => readServiceConfig(probe, 'haproxy', args.path ?? DEFAULT_HAPROXY_CFG, 'haproxy.service'),

  plan(args, cur) {
    return planServiceConfig(
      {
        daemon: 'haproxy',
        pkg: 'haproxy',
        unit: 'haproxy.service',
        path: args.path ?? DEFAULT_HAPROXY_CFG,
        content: renderHaproxy(args),
        secret: statsPassword(args) !== undefined,
        mode: (args.mode ?? (statsPassword(args) !== undefined ? '0600' : '0644')).padStart(4, '0'),
        validate: 'haproxy -c -f %s',
        onChange: 'reload',
        manageService: args.service ?? true,
        maskDiff: maskHaproxySecrets,
      },
      cur,
    );
  },
});
