/**
 * `keepalived`: the whole keepalived.conf from args (global_defs, vrrp_scripts, VRRP instances
 * with multicast or unicast peers), validated with `keepalived -t -f` on a staged copy before it
 * replaces the old file, then keepalived.service enabled, started, and reloaded (SIGHUP) when
 * the config changed. read is ONE round trip (service-config-read.ts); plan is pure
 * (render-keepalived.ts + plan-service-config.ts). The VRRP password is a secret argument.
 */
import { defineModule } from '../../src/module-api/index.js';
import { readServiceConfig, type ServiceConfigCurrent } from '../systemd_unit/service-config-read.js';
import { planServiceConfig } from '../systemd_unit/plan-service-config.js';
import { DEFAULT_KEEPALIVED_CONF, keepalivedArgsSchema, type KeepalivedArgs } from './args.js';
import { authPass, maskKeepalivedSecrets, renderKeepalived } from './render-keepalived.js';

export default defineModule<KeepalivedArgs, ServiceConfigCurrent>({
  name: 'keepalived',
  summary: 'Configure keepalived (VRRP virtual addresses with health-checked priorities), validate the config with keepalived -t, and run it.',
  args: keepalivedArgsSchema,
  secretArgs: ['auth_pass'],
  examples: [
    `- name: the API VIP, moved away from a host whose haproxy is down
  keepalived:
    auth_pass: "{{ keepalived_auth_pass }}"
    scripts:
      - { name: check_haproxy, script: /usr/bin/pgrep -x haproxy, interval: 1, weight: -11, fall: 1, rise: 1 }
    instances:
      - name: VI_1
        state: "{{ keepalived_state }}"          # MASTER on one host, BACKUP on the others
        priority: "{{ keepalived_priority }}"    # 100 / 90
        interface: eth0
        virtual_router_id: 51
        advert_int: 1
        virtual_ipaddress: ["{{ api_vip }}"]
        track_scripts: [check_haproxy]`,
    `- name: the same without multicast (unicast to the other LB hosts)
  keepalived:
    instances:
      - name: VI_1
        state: BACKUP
        priority: 90
        interface: eth0
        virtual_router_id: 51
        virtual_ipaddress: [10.0.0.10/24]
        unicast_src_ip: "{{ ansible_host }}"
        unicast_peers: [10.0.0.11]`,
  ],

  read: (probe, args) => readServiceConfig(probe, 'keepalived', args.path ?? DEFAULT_KEEPALIVED_CONF, 'keepalived.service'),

  plan(args, cur) {
    return planServiceConfig(
      {
        daemon: 'keepalived',
        pkg: 'keepalived',
        unit: 'keepalived.service',
        path: args.path ?? DEFAULT_KEEPALIVED_CONF,
        content: renderKeepalived(args),
        secret: authPass(args) !== undefined,
        mode: (args.mode ?? (authPass(args) !== undefined ? '0600' : '0644')).padStart(4, '0'),
        validate: 'keepalived -t -f %s',
        onChange: 'reload',
        manageService: args.service ?? true,
        maskDiff: maskKeepalivedSecrets,
      },
      cur,
    );
  },
});

