/**
 * The Inventory noun: hosts, groups, and variables that remember where they came from.
 * Produced by load-inventory.ts from INI/YAML files plus group_vars/ and host_vars/; never
 * mutated after loading. Variable *resolution* (precedence) lives in host-vars.ts.
 */
import type { SourceLocation } from '../errors/source-location.js';

/** Where a variable value was defined; `--explain` prints a chain of these. */
export type VarLevel =
  | 'inventory-group' // [group:vars] in INI, or vars: under a group in YAML (incl. `all`)
  | 'group_vars' //      group_vars/<group>(.yml|/…) beside the inventory
  | 'inventory-host' //  `host key=value` in INI, or host mapping in YAML
  | 'host_vars' //       host_vars/<host>(.yml|/…)
  | 'play' //            play vars / vars_files
  | 'fact' //            registered / set_fact
  | 'extra'; //          -e

export interface VarSource {
  readonly level: VarLevel;
  /** Group name for group levels, host name for host levels, play name for play. */
  readonly owner: string;
  readonly loc: SourceLocation;
}

export interface SourcedValue {
  readonly value: unknown;
  readonly source: VarSource;
}

export type SourcedVars = ReadonlyMap<string, SourcedValue>;

export interface InventoryHost {
  readonly name: string;
  /** Groups the host is directly a member of (not via children), in definition order. */
  readonly groups: readonly string[];
  /** Vars set on the host in inventory files (INI line / YAML mapping). */
  readonly vars: SourcedVars;
  /** Vars from host_vars/<name>. */
  readonly fileVars: SourcedVars;
  /** First place the host is defined. */
  readonly loc: SourceLocation;
}

export interface InventoryGroup {
  readonly name: string;
  /** Direct member hosts, in definition order. */
  readonly hosts: readonly string[];
  /** Direct child groups. */
  readonly children: readonly string[];
  /** Vars from [group:vars] / YAML `vars:`. */
  readonly vars: SourcedVars;
  /** Vars from group_vars/<name>. */
  readonly fileVars: SourcedVars;
  readonly loc: SourceLocation;
}

export interface Inventory {
  /** Hosts in definition order (Map keeps insertion order). */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  /** Groups incl. the implicit `all` and `ungrouped`. */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  /** The inventory files/directories that were read, as given. */
  readonly sources: readonly string[];
}
