/**
 * The one mutable stage of loading: parsers (parse-ini.ts, parse-yaml-inventory.ts) and the
 * vars-file loader declare hosts, groups, children and vars here, in the order they read them;
 * `build()` adds the implicit `all` and `ungrouped`, checks the whole graph (cycles, host/group
 * name clashes) and freezes it into an Inventory. It never reads files and never throws:
 * problems go to `problems` so the loader reports every file's problems at once.
 *
 * Membership model (documented for consumers): `InventoryHost.groups` are the direct groups,
 * never `all`; a host in no other group is in `ungrouped`. `all.hosts` lists every host in
 * inventory order and `all.children` the top-level groups (`ungrouped` first, like Ansible).
 */
import { ProblemList } from '../errors/k3play-error.js';
import { formatLocation, type SourceLocation } from '../errors/source-location.js';
import type { Inventory, InventoryGroup, InventoryHost, SourcedValue, VarLevel } from './types.js';

/** Vars that say how to reach a host: two definitions of one host must agree on them. */
export const CONNECTION_VARS: ReadonlySet<string> = new Set([
  'ansible_host',
  'ansible_port',
  'ansible_user',
  'ansible_connection',
  'k3play_host',
  'k3play_port',
  'k3play_user',
  'k3play_connection',
]);

interface MutableHost {
  name: string;
  groups: string[];
  vars: Map<string, SourcedValue>;
  fileVars: Map<string, SourcedValue>;
  loc: SourceLocation;
}

interface MutableGroup {
  name: string;
  hosts: string[];
  children: string[];
  childLocs: Map<string, SourceLocation>;
  vars: Map<string, SourcedValue>;
  fileVars: Map<string, SourcedValue>;
  loc: SourceLocation;
}

export class InventoryBuilder {
  readonly problems = new ProblemList();
  private readonly hosts = new Map<string, MutableHost>();
  private readonly groups = new Map<string, MutableGroup>();

  constructor(implicitLoc: SourceLocation) {
    this.group('all', implicitLoc);
    this.group('ungrouped', implicitLoc);
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }
  hostNames(): string[] {
    return [...this.hosts.keys()];
  }
  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  /** Declares a group (idempotent; the first location is kept). */
  group(name: string, loc: SourceLocation): void {
    if (!this.groups.has(name)) {
      this.groups.set(name, { name, hosts: [], children: [], childLocs: new Map(), vars: new Map(), fileVars: new Map(), loc });
    }
  }

  /** Declares a host, and its membership of `group` (`all` means "no particular group"). */
  host(name: string, group: string, loc: SourceLocation): void {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, groups: [], vars: new Map(), fileVars: new Map(), loc };
      this.hosts.set(name, h);
    }
    if (group === 'all') return;
    this.group(group, loc);
    const g = this.groups.get(group)!;
    if (!g.hosts.includes(name)) g.hosts.push(name);
    if (!h.groups.includes(group)) h.groups.push(group);
  }

  child(parent: string, child: string, loc: SourceLocation): void {
    this.group(parent, loc);
    this.group(child, loc);
    const p = this.groups.get(parent)!;
    if (!p.children.includes(child)) {
      p.children.push(child);
      p.childLocs.set(child, loc);
    }
  }

  /** An inline host var; a second, different value of a connection var is a problem. */
  hostVar(host: string, key: string, value: unknown, loc: SourceLocation): void {
    const h = this.hosts.get(host);
    if (!h) throw new Error(`internal: hostVar for undeclared host ${host}`);
    const prev = h.vars.get(key);
    if (prev && CONNECTION_VARS.has(key) && String(prev.value) !== String(value)) {
      this.problems.add({
        loc,
        context: `host ${host}`,
        message: `duplicate host ${host} with conflicting ${key} (${formatLocation(prev.source.loc)} vs ${formatLocation(loc)})`,
        hint: `define ${key} for ${host} once (e.g. in host_vars/${host}.yml), or make both definitions agree`,
      });
      return;
    }
    h.vars.set(key, { value, source: { level: 'inventory-host', owner: host, loc } });
  }

  groupVar(group: string, key: string, value: unknown, loc: SourceLocation): void {
    this.group(group, loc);
    this.groups.get(group)!.vars.set(key, { value, source: { level: 'inventory-group', owner: group, loc } });
  }

  /** A var from group_vars/ or host_vars/; later files override earlier ones. */
  fileVar(level: Extract<VarLevel, 'group_vars' | 'host_vars'>, owner: string, key: string, value: unknown, loc: SourceLocation): void {
    const target = level === 'group_vars' ? this.groups.get(owner) : this.hosts.get(owner);
    if (!target) return;
    target.fileVars.set(key, { value, source: { level, owner, loc } });
  }

  build(sources: readonly string[]): Inventory {
    const all = this.groups.get('all')!;
    const ungrouped = this.groups.get('ungrouped')!;

    // A group is top-level when no group other than `all` lists it as a child.
    const hasParent = new Set<string>();
    for (const g of this.groups.values()) if (g.name !== 'all') for (const c of g.children) hasParent.add(c);
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && !hasParent.has(g.name) && !all.children.includes(g.name)) all.children.push(g.name);
    }
    // `ungrouped` first, as Ansible creates it right after `all`.
    all.children.sort((a, b) => (a === 'ungrouped' ? -1 : b === 'ungrouped' ? 1 : 0));

    for (const h of this.hosts.values()) {
      const real = h.groups.filter((g) => g !== 'ungrouped');
      if (real.length === 0) {
        h.groups = ['ungrouped'];
        if (!ungrouped.hosts.includes(h.name)) ungrouped.hosts.push(h.name);
      } else if (real.length !== h.groups.length) {
        h.groups = real;
        ungrouped.hosts = ungrouped.hosts.filter((n) => n !== h.name);
      }
      if (this.groups.has(h.name)) {
        this.problems.add({
          loc: h.loc,
          context: `host ${h.name}`,
          message: `host ${h.name} has the same name as a group (group defined at ${formatLocation(this.groups.get(h.name)!.loc)})`,
          hint: 'rename the host or the group: patterns and --limit could not tell them apart',
        });
      }
    }
    all.hosts = [...this.hosts.keys()];
    this.findCycles();

    const hosts = new Map<string, InventoryHost>();
    for (const h of this.hosts.values()) {
      hosts.set(h.name, { name: h.name, groups: [...h.groups], vars: new Map(h.vars), fileVars: new Map(h.fileVars), loc: h.loc });
    }
    const groups = new Map<string, InventoryGroup>();
    for (const g of this.groups.values()) {
      groups.set(g.name, {
        name: g.name,
        hosts: [...g.hosts],
        children: [...g.children],
        vars: new Map(g.vars),
        fileVars: new Map(g.fileVars),
        loc: g.loc,
      });
    }
    return { hosts, groups, sources: [...sources] };
  }

  /** Reports each children cycle once, at the `[x:children]` entry that closes it. */
  private findCycles(): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const reported = new Set<string>();
    const visit = (name: string): void => {
      state.set(name, 'visiting');
      stack.push(name);
      const g = this.groups.get(name)!;
      for (const c of g.children) {
        if (c === 'all') continue;
        const st = state.get(c);
        if (st === 'visiting') {
          const cycle = [...stack.slice(stack.indexOf(c)), c];
          const key = [...cycle.slice(0, -1)].sort().join(',');
          if (!reported.has(key)) {
            reported.add(key);
            this.problems.add({
              loc: g.childLocs.get(c) ?? g.loc,
              context: `group ${name}`,
              message: `cyclic group children: ${cycle.join(' -> ')}`,
              hint: `a group cannot contain itself; remove ${c} from the children of ${name}`,
            });
          }
        } else if (st === undefined) {
          visit(c);
        }
      }
      stack.pop();
      state.set(name, 'done');
    };
    for (const name of this.groups.keys()) if (!state.has(name)) visit(name);
  }
}
