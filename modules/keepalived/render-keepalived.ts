/**
 * keepalived.conf from the module's args: pure text building plus the cross-argument checks
 * (every problem collected, then ONE TaskFailure listing them all). The output is stable
 * (same args -> same bytes), so an unchanged config is never rewritten. The auth password is
 * inserted here, which is why the text is written as a Secret and diffs go through
 * maskKeepalivedSecrets.
 */
import { isSecret, MASK, TaskFailure } from '../../src/module-api/index.js';
import type { KeepalivedArgs, VrrpInstanceArgs, VrrpScriptArgs } from './args.js';

export const HEADER = '# Managed by k3play (keepalived module): changes made here are overwritten on the next run.\n';

/** The config text; throws a TaskFailure naming every problem of the args. */
export function renderKeepalived(args: KeepalivedArgs): string {
  const pass = authPass(args);
  checkArgs(args, pass);
  const out: string[] = [HEADER.trimEnd(), 'global_defs {'];
  if (args.router_id !== undefined) out.push(`    router_id ${args.router_id}`);
  out.push(`    script_user ${args.script_user ?? 'root'}`);
  if (args.enable_script_security ?? true) out.push('    enable_script_security');
  if (args.vrrp_version !== undefined && args.vrrp_version !== 2) out.push(`    vrrp_version ${args.vrrp_version}`);
  out.push('}');
  for (const s of args.scripts ?? []) out.push('', ...scriptBlock(s));
  for (const i of args.instances) out.push('', ...instanceBlock(i, pass));
  return `${out.join('\n')}\n`;
}

function scriptBlock(s: VrrpScriptArgs): string[] {
  const lines = [`vrrp_script ${s.name} {`, `    script "${s.script}"`, `    interval ${s.interval ?? 2}`];
  if (s.timeout !== undefined) lines.push(`    timeout ${s.timeout}`);
  if (s.weight !== undefined && s.weight !== 0) lines.push(`    weight ${s.weight}`);
  if (s.fall !== undefined) lines.push(`    fall ${s.fall}`);
  if (s.rise !== undefined) lines.push(`    rise ${s.rise}`);
  if (s.user !== undefined) lines.push(`    user ${s.user}`);
  lines.push('}');
  return lines;
}

function instanceBlock(i: VrrpInstanceArgs, pass: string | undefined): string[] {
  const lines = [
    `vrrp_instance ${i.name} {`,
    `    state ${i.state}`,
    `    interface ${i.interface}`,
    `    virtual_router_id ${i.virtual_router_id}`,
    `    priority ${i.priority}`,
    `    advert_int ${i.advert_int ?? 1}`,
  ];
  if (i.nopreempt) lines.push('    nopreempt');
  if (i.preempt_delay !== undefined) lines.push(`    preempt_delay ${i.preempt_delay}`);
  if (i.garp_master_delay !== undefined) lines.push(`    garp_master_delay ${i.garp_master_delay}`);
  if (pass !== undefined) lines.push('    authentication {', '        auth_type PASS', `        auth_pass ${pass}`, '    }');
  const src = unicastSrc(i);
  const peers = unicastPeers(i);
  if (src !== undefined) lines.push(`    unicast_src_ip ${src}`);
  if (peers.length > 0) lines.push('    unicast_peer {', ...peers.map((p) => `        ${p}`), '    }');
  lines.push('    virtual_ipaddress {', ...i.virtual_ipaddress.map((a) => `        ${a}`), '    }');
  if (i.track_scripts && i.track_scripts.length > 0) lines.push('    track_script {', ...i.track_scripts.map((s) => `        ${s}`), '    }');
  lines.push('}');
  return lines;
}

function checkArgs(args: KeepalivedArgs, pass: string | undefined): void {
  const problems: string[] = [];
  const scripts = new Set<string>();
  for (const s of args.scripts ?? []) {
    if (scripts.has(s.name)) problems.push(`scripts: "${s.name}" is defined twice`);
    scripts.add(s.name);
  }
  if (pass !== undefined) {
    if (pass.length > 8) problems.push(`auth_pass is ${pass.length} characters long: keepalived uses at most 8 (the rest would be ignored silently)`);
    if (!/^[\x21-\x7e]+$/.test(pass)) problems.push('auth_pass must be printable ASCII without spaces');
    if ((args.vrrp_version ?? 2) === 3) problems.push('auth_pass cannot be used with vrrp_version 3 (VRRPv3 has no authentication)');
  }
  const names = new Set<string>();
  const routers = new Map<string, string>();
  for (const i of args.instances) {
    const at = `instance ${i.name}`;
    if (names.has(i.name)) problems.push(`instances: "${i.name}" is defined twice`);
    names.add(i.name);
    const rkey = `${i.interface}/${i.virtual_router_id}`;
    const other = routers.get(rkey);
    if (other !== undefined) problems.push(`${at}: virtual_router_id ${i.virtual_router_id} on ${i.interface} is already used by instance ${other}`);
    routers.set(rkey, i.name);
    for (const t of i.track_scripts ?? []) {
      if (!scripts.has(t)) problems.push(`${at}: track_scripts names "${t}", which is not in scripts${scripts.size ? ` (defined: ${[...scripts].join(', ')})` : ''}`);
    }
    if ((args.vrrp_version ?? 2) === 2 && !Number.isInteger(i.advert_int ?? 1)) {
      problems.push(`${at}: advert_int ${i.advert_int} needs vrrp_version: 3 (VRRP 2 takes whole seconds)`);
    }
    const src = unicastSrc(i);
    const peers = unicastPeers(i);
    for (const p of peers) if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(p)) problems.push(`${at}: unicast_peers: "${p}" is not an IPv4 address`);
    if (src !== undefined && peers.includes(src)) {
      problems.push(`${at}: unicast_peers contains this host's own unicast_src_ip ${src}: list only the other hosts`);
    }
    if (src !== undefined && peers.length === 0) {
      problems.push(`${at}: unicast_src_ip without unicast_peers: give the other hosts' addresses, or neither for multicast`);
    }
    if (i.nopreempt && i.state === 'MASTER') problems.push(`${at}: nopreempt needs state BACKUP (keepalived ignores it on a MASTER)`);
  }
  if (problems.length > 0) {
    throw new TaskFailure(`keepalived arguments: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n  - ${problems.join('\n  - ')}`, 'see: k3play modules keepalived');
  }
}

/** The password, or undefined when none (not given or empty). */
export function authPass(args: KeepalivedArgs): string | undefined {
  const v = args.auth_pass === undefined ? undefined : isSecret(args.auth_pass) ? args.auth_pass.reveal() : args.auth_pass;
  return v === '' ? undefined : v;
}

function unicastSrc(i: VrrpInstanceArgs): string | undefined {
  return i.unicast_src_ip === undefined || i.unicast_src_ip === '' ? undefined : i.unicast_src_ip;
}

/** unicast_peers as a list (a string is split on spaces, commas and newlines). */
function unicastPeers(i: VrrpInstanceArgs): string[] {
  const v = i.unicast_peers ?? [];
  return (typeof v === 'string' ? v.split(/[\s,]+/) : v).filter((p) => p !== '');
}

/** The text with every `auth_pass VALUE` shown as `auth_pass ********` (for diffs). */
export function maskKeepalivedSecrets(text: string): string {
  return text.replace(/^(\s*auth_pass\s+)\S+/gm, `$1${MASK}`);
}
