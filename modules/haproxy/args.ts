/**
 * Argument schema of the `haproxy` module: global and defaults sections, TCP (or HTTP)
 * frontends and backends whose servers the playbook builds from inventory groups, and a stats
 * listener. Cross-argument rules (default_backend naming a backend, unique names, server lines)
 * are checked in render-haproxy.ts, all at once.
 */
import type { SchemaObject } from 'ajv';
import type { Secret } from '../../src/module-api/index.js';

export interface HaproxyServer {
  name: string;
  address: string;
  port: number;
  check?: boolean;
  options?: string[];
}

export interface HaproxyHealthCheck {
  inter?: string;
  fall?: number;
  rise?: number;
}

export interface HaproxyBackend {
  name: string;
  mode?: 'tcp' | 'http';
  balance?: string;
  options?: string[];
  check?: HaproxyHealthCheck;
  servers: (HaproxyServer | string)[] | string;
}

export interface HaproxyFrontend {
  name: string;
  bind: string | string[];
  mode?: 'tcp' | 'http';
  default_backend: string;
  options?: string[];
}

export interface HaproxyStats {
  bind: string;
  uri?: string;
  refresh?: string;
  realm?: string;
  user?: string;
}

export interface HaproxyArgs {
  path?: string;
  global?: { maxconn?: number; log?: string[]; chroot?: string | null; user?: string; group?: string; stats_socket?: string | null; lines?: string[] };
  defaults?: {
    mode?: 'tcp' | 'http';
    retries?: number;
    timeout_connect?: string;
    timeout_client?: string;
    timeout_server?: string;
    timeout_check?: string;
    maxconn?: number;
    options?: string[];
    lines?: string[];
  };
  frontends?: HaproxyFrontend[];
  backends?: HaproxyBackend[];
  stats?: HaproxyStats;
  stats_password?: string | Secret;
  mode?: string;
  service?: boolean;
}

export const DEFAULT_HAPROXY_CFG = '/etc/haproxy/haproxy.cfg';

const NAME = '^[A-Za-z0-9_.:-]+$';
const DURATION = '^[0-9]+(us|ms|s|m|h|d)?$';
const LINE = '^[^\\n]*$';

export const haproxyArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string', default: DEFAULT_HAPROXY_CFG, description: 'The config file written (the whole file is managed).' },
    global: {
      type: 'object',
      additionalProperties: false,
      description: 'The global section. Defaults follow Debian\'s packaged config: logs to /dev/log, chroot /var/lib/haproxy, user/group haproxy, an admin socket, maxconn 4000.',
      properties: {
        maxconn: { type: 'integer', minimum: 1, default: 4000, description: 'Process-wide connection limit.' },
        log: { type: 'array', items: { type: 'string', pattern: LINE }, description: 'log targets, each a `log` line: ["/dev/log local0"] (default).' },
        chroot: { type: ['string', 'null'], description: 'chroot directory (default /var/lib/haproxy); null: no chroot.' },
        user: { type: 'string', pattern: NAME, default: 'haproxy', description: 'User the workers run as.' },
        group: { type: 'string', pattern: NAME, default: 'haproxy', description: 'Group the workers run as.' },
        stats_socket: {
          type: ['string', 'null'],
          description: 'The `stats socket` line (runtime API), default "/run/haproxy/admin.sock mode 660 level admin"; null: none.',
        },
        lines: { type: 'array', items: { type: 'string', pattern: LINE }, description: 'More lines for the global section, written as given.' },
      },
    },
    defaults: {
      type: 'object',
      additionalProperties: false,
      description: 'The defaults section (TCP proxying by default).',
      properties: {
        mode: { type: 'string', enum: ['tcp', 'http'], default: 'tcp', description: 'Proxy mode of every section that does not set its own.' },
        retries: { type: 'integer', minimum: 0, default: 3, description: 'Connection retries to a server.' },
        timeout_connect: { type: 'string', pattern: DURATION, default: '10s', description: 'timeout connect: to establish a server connection.' },
        timeout_client: { type: 'string', pattern: DURATION, default: '1m', description: 'timeout client: idle client side (kubectl watch streams stay open longer: raise it for API load balancing).' },
        timeout_server: { type: 'string', pattern: DURATION, default: '1m', description: 'timeout server: idle server side.' },
        timeout_check: { type: 'string', pattern: DURATION, default: '10s', description: 'timeout check: for a health check to complete.' },
        maxconn: { type: 'integer', minimum: 1, default: 3000, description: 'Per-proxy connection limit.' },
        options: {
          type: 'array',
          items: { type: 'string', pattern: LINE },
          description: 'option lines, e.g. ["dontlognull", "redispatch"] (default). `log global` is always written.',
        },
        lines: { type: 'array', items: { type: 'string', pattern: LINE }, description: 'More lines for the defaults section, written as given.' },
      },
    },
    frontends: {
      type: 'array',
      description: 'Frontends: where haproxy listens.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'bind', 'default_backend'],
        properties: {
          name: { type: 'string', pattern: NAME, description: 'Frontend name, e.g. kubernetes-apiserver.' },
          bind: {
            anyOf: [
              { type: 'string', pattern: LINE },
              { type: 'array', items: { type: 'string', pattern: LINE }, minItems: 1 },
            ],
            description: 'Address:port to listen on, e.g. "*:16443" (every address, so the VIP works wherever it lands), or a list.',
          },
          mode: { type: 'string', enum: ['tcp', 'http'], description: 'Default: the defaults mode.' },
          default_backend: { type: 'string', pattern: NAME, description: 'The backend connections go to.' },
          options: { type: 'array', items: { type: 'string', pattern: LINE }, description: 'option lines. Default: ["tcplog"] in tcp mode, ["httplog"] in http mode.' },
        },
      },
    },
    backends: {
      type: 'array',
      description: 'Backends: the servers connections are balanced over.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'servers'],
        properties: {
          name: { type: 'string', pattern: NAME, description: 'Backend name.' },
          mode: { type: 'string', enum: ['tcp', 'http'], description: 'Default: the defaults mode.' },
          balance: { type: 'string', pattern: LINE, default: 'roundrobin', description: 'Balancing algorithm: roundrobin, leastconn, source, ...' },
          options: { type: 'array', items: { type: 'string', pattern: LINE }, description: 'option lines, e.g. ["tcp-check"] or ["httpchk GET /readyz"].' },
          check: {
            type: 'object',
            additionalProperties: false,
            description: 'Health check timing of every server with check (a `default-server` line).',
            properties: {
              inter: { type: 'string', pattern: DURATION, default: '2s', description: 'Time between checks.' },
              fall: { type: 'integer', minimum: 1, default: 3, description: 'Failed checks before a server is marked down.' },
              rise: { type: 'integer', minimum: 1, default: 2, description: 'Passed checks before it is up again.' },
            },
          },
          servers: {
            anyOf: [
              {
                type: 'array',
                items: {
                  anyOf: [
                    {
                      type: 'object',
                      additionalProperties: false,
                      required: ['name', 'address', 'port'],
                      properties: {
                        name: { type: 'string', pattern: NAME, description: 'Server name (e.g. the inventory host name).' },
                        address: { type: 'string', pattern: '^[A-Za-z0-9_.:\\[\\]-]+$', description: 'Address or DNS name.' },
                        port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Port, e.g. 6443.' },
                        check: { type: 'boolean', default: true, description: 'Health-check this server (default true).' },
                        options: { type: 'array', items: { type: 'string', pattern: LINE }, description: 'More words for the server line, e.g. ["backup"].' },
                      },
                    },
                    { type: 'string', pattern: LINE },
                  ],
                },
              },
              { type: 'string' },
            ],
            description:
              'The servers: a list of {name, address, port}, or of "NAME ADDRESS:PORT [words...]" strings, or one string with one such line per server (what a handlebars {{#each (group "servers")}} loop yields). Every server is checked unless its line says no-check (or check: false).',
          },
        },
      },
    },
    stats: {
      type: 'object',
      additionalProperties: false,
      required: ['bind'],
      description: 'A stats page (listen stats, HTTP): e.g. bind "*:1080", uri "/admin?stats". With stats_password it asks for user/password.',
      properties: {
        bind: { type: 'string', pattern: LINE, description: 'Address:port of the stats page, e.g. "*:1080".' },
        uri: { type: 'string', pattern: '^/[^ \\n]*$', default: '/admin?stats', description: 'Path of the page.' },
        refresh: { type: 'string', pattern: DURATION, default: '5s', description: 'Page auto-refresh.' },
        realm: { type: 'string', pattern: LINE, default: 'HAProxy Statistics', description: 'HTTP auth realm.' },
        user: { type: 'string', pattern: '^[^:\\s]+$', default: 'admin', description: 'User name for the page (with stats_password).' },
      },
    },
    stats_password: {
      type: 'string',
      description: 'Password of the stats page (a `stats auth user:password` line); empty or not given: no password. Written only into the config file (mode 0600 when set); diffs show ********.',
    },
    mode: { type: 'string', pattern: '^0?[0-7]{3}$', description: 'Mode of the config file. Default: 0600 when stats_password is set (haproxy reads it as root), else 0644.' },
    service: {
      type: 'boolean',
      default: true,
      description: 'Also enable and start haproxy.service, and reload it when the config changes (a reload keeps established connections; never a restart). false: only write the file.',
    },
  },
};
