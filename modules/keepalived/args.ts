/**
 * Argument schema of the `keepalived` module: global settings, vrrp_scripts and VRRP
 * instances, as in keepalived.conf(5). Cross-argument rules (track_scripts naming a defined
 * script, unique names and router ids, unicast settings) are checked in render-keepalived.ts,
 * all at once, with a TaskFailure that lists every problem.
 */
import type { SchemaObject } from 'ajv';
import type { Secret } from '../../src/module-api/index.js';

export interface VrrpScriptArgs {
  name: string;
  script: string;
  interval?: number;
  weight?: number;
  fall?: number;
  rise?: number;
  timeout?: number;
  user?: string;
}

export interface VrrpInstanceArgs {
  name: string;
  state: 'MASTER' | 'BACKUP';
  interface: string;
  virtual_router_id: number;
  priority: number;
  advert_int?: number;
  virtual_ipaddress: string[];
  track_scripts?: string[];
  unicast_src_ip?: string;
  unicast_peers?: string[] | string;
  nopreempt?: boolean;
  preempt_delay?: number;
  garp_master_delay?: number;
}

export interface KeepalivedArgs {
  path?: string;
  router_id?: string;
  script_user?: string;
  enable_script_security?: boolean;
  vrrp_version?: 2 | 3;
  auth_pass?: string | Secret;
  scripts?: VrrpScriptArgs[];
  instances: VrrpInstanceArgs[];
  mode?: string;
  service?: boolean;
}

export const DEFAULT_KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';

const NAME = '^[A-Za-z0-9_.-]+$';
const IPV4_BODY = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}';
const IPV4 = `^${IPV4_BODY}$`;

export const keepalivedArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['instances'],
  properties: {
    path: { type: 'string', default: DEFAULT_KEEPALIVED_CONF, description: 'The config file written (the whole file is managed).' },
    router_id: { type: 'string', pattern: NAME, description: 'global_defs router_id: a name for this host in keepalived logs and SNMP. Default: not written (keepalived uses the hostname).' },
    script_user: {
      type: 'string',
      default: 'root',
      pattern: NAME,
      description: 'global_defs script_user: the user vrrp_scripts run as (unless a script sets its own user).',
    },
    enable_script_security: {
      type: 'boolean',
      default: true,
      description: 'global_defs enable_script_security: keepalived refuses scripts that a non-root user could modify. Keep it on.',
    },
    vrrp_version: {
      type: 'integer',
      enum: [2, 3],
      default: 2,
      description: 'VRRP protocol version. 2 (default) takes whole-second advert_int; 3 allows fractions (advert_int: 0.5) for faster failover. Every host of a virtual router must use the same.',
    },
    auth_pass: {
      type: 'string',
      maxLength: 8,
      description:
        'VRRP PASS authentication password of every instance (keepalived uses at most 8 characters). Written only into the config file (mode 0600 when set); diffs show ********. Empty or not given: no authentication. Not allowed with vrrp_version 3 (VRRPv3 has no authentication).',
    },
    scripts: {
      type: 'array',
      description: 'vrrp_script blocks: health checks that instances track with track_scripts.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'script'],
        properties: {
          name: { type: 'string', pattern: NAME, description: 'Script name, referred to by an instance\'s track_scripts.' },
          script: {
            type: 'string',
            minLength: 1,
            pattern: '^/[^"\\n]*$',
            description: 'Command with an absolute path, e.g. "/usr/bin/pgrep -x haproxy" or "/usr/bin/systemctl is-active --quiet haproxy". Exit 0 = healthy. (pidof is a symlink to killall5 on Debian and does not work from keepalived.)',
          },
          interval: { type: 'number', exclusiveMinimum: 0, default: 2, description: 'Seconds between runs.' },
          weight: {
            type: 'integer',
            minimum: -253,
            maximum: 253,
            description: 'Added to the instance priority while the script fails (negative, e.g. -11) or succeeds (positive). Not given (or 0): a failing script puts the instance into FAULT state.',
          },
          fall: { type: 'integer', minimum: 1, description: 'Failures in a row before the script counts as failed (keepalived default 1).' },
          rise: { type: 'integer', minimum: 1, description: 'Successes in a row before it counts as healthy again (keepalived default 1).' },
          timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds after which a running script counts as failed.' },
          user: { type: 'string', pattern: NAME, description: 'Run this script as this user instead of script_user.' },
        },
      },
    },
    instances: {
      type: 'array',
      minItems: 1,
      description: 'vrrp_instance blocks: each is one virtual router holding one or more virtual addresses.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'state', 'interface', 'virtual_router_id', 'priority', 'virtual_ipaddress'],
        properties: {
          name: { type: 'string', pattern: NAME, description: 'Instance name, e.g. VI_1 (the same on every host of the virtual router).' },
          state: { type: 'string', enum: ['MASTER', 'BACKUP'], description: 'Initial state: one MASTER, the others BACKUP. The priority decides who holds the addresses.' },
          interface: { type: 'string', pattern: '^[A-Za-z0-9_.:@-]+$', description: 'Network interface VRRP runs on and the addresses are added to, e.g. eth0.' },
          virtual_router_id: { type: 'integer', minimum: 1, maximum: 255, description: 'Virtual router id (1-255), the same on every host of the virtual router and unique on the network segment, e.g. 51.' },
          priority: { type: 'integer', minimum: 1, maximum: 255, description: 'Election priority: highest wins (e.g. MASTER 100, BACKUPs 90). 255 means the address owner.' },
          advert_int: { type: 'number', exclusiveMinimum: 0, default: 1, description: 'Seconds between advertisements (whole seconds with VRRP 2). A BACKUP takes over about 3 x advert_int after the last advertisement it accepted.' },
          virtual_ipaddress: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', pattern: '^[0-9A-Fa-f.:/]+( [A-Za-z0-9 _.:/-]+)?$' },
            description: 'Virtual addresses, e.g. "10.0.0.10", "10.0.0.10/24" or "10.0.0.10/24 dev eth1 label eth1:vip".',
          },
          track_scripts: { type: 'array', items: { type: 'string', pattern: NAME }, description: 'Names of `scripts` whose result changes this instance\'s priority (or puts it in FAULT).' },
          unicast_src_ip: {
            type: 'string',
            pattern: `^(${IPV4_BODY})?$`,
            description: 'Send advertisements from this address, by unicast to unicast_peers (for networks without multicast, e.g. most clouds). Empty: not set.',
          },
          unicast_peers: {
            anyOf: [{ type: 'array', items: { type: 'string', pattern: IPV4 } }, { type: 'string', pattern: '^[0-9., \\n]*$' }],
            description:
              'The other hosts of the virtual router (their addresses, never this host\'s own): a list, or one string of addresses separated by spaces, commas or newlines (what a handlebars loop over a group yields). Non-empty: VRRP uses unicast instead of multicast.',
          },
          nopreempt: { type: 'boolean', description: 'A higher-priority host coming back does not take the addresses back (needs state BACKUP on every host).' },
          preempt_delay: { type: 'integer', minimum: 1, maximum: 1000, description: 'Seconds to wait after startup before preempting a lower-priority master.' },
          garp_master_delay: { type: 'integer', minimum: 0, description: 'Seconds after becoming master before the second set of gratuitous ARPs.' },
        },
      },
    },
    mode: { type: 'string', pattern: '^0?[0-7]{3}$', description: 'Mode of the config file. Default: 0600 when auth_pass is set (the file holds it), else 0644.' },
    service: { type: 'boolean', default: true, description: 'Also enable and start keepalived.service, and reload it (SIGHUP: VRRP state is kept) when the config changes. false: only write the file.' },
  },
};
