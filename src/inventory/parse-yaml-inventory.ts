/**
 * Ansible's YAML inventory format -> declarations on an InventoryBuilder:
 *
 *     all:
 *       vars: {k3s_version: v1.28.5+k3s1}
 *       hosts: {h0: }
 *       children:
 *         servers: {hosts: {h1: {ansible_host: 10.0.0.1}}, vars: {...}, children: {...}}
 *
 * Top-level keys are groups (usually just `all`); a group has only `hosts`, `vars` and
 * `children`; hosts may be null or a mapping of vars; host names may carry ranges and a
 * `:port`. Values keep their YAML types. Shape errors are collected, never thrown.
 */
import { isMap, type Node } from 'yaml';
import type { SourceLocation } from '../errors/source-location.js';
import { parseYamlSource, type YamlSource } from '../errors/yaml-source.js';
import { expandHostRange } from './host-range.js';
import type { InventoryBuilder } from './inventory-builder.js';
import { splitPort } from './parse-ini.js';
import { isNullNode, kindOf, mapPairs, nodeValue } from './yaml-nodes.js';

const GROUP_KEYS = new Set(['hosts', 'vars', 'children']);

export function parseYamlInventory(text: string, file: string, b: InventoryBuilder): void {
  const src = parseYamlSource(text, file);
  if (src.problems.length > 0) {
    b.problems.addAll(src.problems);
    return;
  }
  const root = src.doc.contents as Node | null;
  if (isNullNode(root)) return; // an empty file declares nothing
  if (!isMap(root)) {
    b.problems.add({
      loc: { file, line: 1, col: 1 },
      message: `a YAML inventory must be a mapping of groups (usually "all:"), got ${kindOf(root)}`,
      hint: 'start the file with `all:` and put hosts, vars and children under it',
    });
    return;
  }
  for (const p of mapPairs(src, root)) {
    b.group(p.key, p.keyLoc);
    readGroup(src, p.key, p.value, p.valueLoc, b);
  }
}

function readGroup(src: YamlSource, group: string, node: Node | null, loc: SourceLocation, b: InventoryBuilder): void {
  if (isNullNode(node)) return;
  if (!isMap(node)) {
    b.problems.add({
      loc,
      context: `group ${group}`,
      message: `group "${group}" must be a mapping with hosts, vars or children, got ${kindOf(node)}`,
      hint: 'write `group:` followed by indented `hosts:`, `vars:` or `children:`',
    });
    return;
  }
  for (const p of mapPairs(src, node!)) {
    if (!GROUP_KEYS.has(p.key)) {
      b.problems.add({
        loc: p.keyLoc,
        context: `group ${group}`,
        message: `unexpected key "${p.key}" in group "${group}": only hosts, vars and children are allowed`,
        hint: `if "${p.key}" is a host, put it under hosts:; if it is a group, under children:`,
      });
      continue;
    }
    if (isNullNode(p.value)) continue;
    if (!isMap(p.value)) {
      const what = p.key === 'hosts' ? 'host names' : p.key === 'vars' ? 'variables' : 'child groups';
      b.problems.add({
        loc: p.valueLoc,
        context: `group ${group}`,
        message: `${p.key} of group "${group}" must be a mapping of ${what}, got ${kindOf(p.value)}`,
        hint: p.key === 'hosts' ? 'write `hosts:` then one `name:` per line (a mapping), not a `- name` list' : `write ${p.key} as key: value lines indented under ${p.key}:`,
      });
      continue;
    }
    if (p.key === 'vars') {
      for (const v of mapPairs(src, p.value!)) b.groupVar(group, v.key, nodeValue(src, v.value), v.valueLoc);
    } else if (p.key === 'children') {
      for (const c of mapPairs(src, p.value!)) {
        if (c.key === group) {
          b.problems.add({ loc: c.keyLoc, message: `cyclic group children: ${group} -> ${group}`, hint: `remove ${group} from its own children` });
          continue;
        }
        b.child(group, c.key, c.keyLoc);
        readGroup(src, c.key, c.value, c.valueLoc, b);
      }
    } else {
      for (const h of mapPairs(src, p.value!)) readHost(src, group, h.key, h.value, h.keyLoc, h.valueLoc, b);
    }
  }
}

function readHost(src: YamlSource, group: string, pattern: string, node: Node | null, keyLoc: SourceLocation, valueLoc: SourceLocation, b: InventoryBuilder): void {
  const { name, port } = splitPort(pattern);
  const expanded = expandHostRange(name);
  if ('error' in expanded) {
    b.problems.add({ loc: keyLoc, message: expanded.error, hint: 'ranges look like node[01:20], node[a:c] or node[1:10:2]' });
    return;
  }
  if (!isNullNode(node) && !isMap(node)) {
    b.problems.add({
      loc: valueLoc,
      context: `host ${pattern}`,
      message: `host "${pattern}" in group "${group}" must be a mapping of variables or empty, got ${kindOf(node)}`,
      hint: 'write `name:` alone, or `name:` followed by indented `key: value` lines',
    });
    return;
  }
  const vars = isNullNode(node) ? [] : mapPairs(src, node!);
  for (const h of expanded.names) {
    b.host(h, group, keyLoc);
    if (port !== undefined) b.hostVar(h, 'ansible_port', Number(port), keyLoc);
    for (const v of vars) b.hostVar(h, v.key, nodeValue(src, v.value), v.valueLoc);
  }
}
