/**
 * Small readers over a parsed YAML document (from src/errors/yaml-source.ts) that keep node
 * positions: mapping pairs with their key/value locations, plain JS values, and a word for a
 * node's kind ("a list") for shape errors. Shared by the YAML inventory and vars-file readers;
 * knows nothing about inventories.
 */
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { SourceLocation } from '../errors/source-location.js';
import type { YamlSource } from '../errors/yaml-source.js';

export interface YamlPair {
  readonly key: string;
  readonly keyLoc: SourceLocation;
  /** null for `key:` with no value. */
  readonly value: Node | null;
  /** Location of the value, or of the key when there is no value. */
  readonly valueLoc: SourceLocation;
}

export function nodeLoc(src: YamlSource, node: Node | null | undefined, fallback?: SourceLocation): SourceLocation {
  const off = node?.range?.[0];
  if (off === undefined) return fallback ?? { file: src.file, line: 1, col: 1 };
  const lp = src.lineCounter.linePos(off);
  return { file: src.file, line: lp.line, col: lp.col };
}

/** True for an absent value: no node, or an explicit `~` / `null`. */
export function isNullNode(node: Node | null | undefined): boolean {
  return node == null || (isScalar(node) && node.value === null);
}

export function mapPairs(src: YamlSource, node: Node): YamlPair[] {
  if (!isMap(node)) return [];
  const out: YamlPair[] = [];
  for (const item of node.items) {
    const k = item.key as Node | null;
    const keyText = isScalar(k) ? String(k.value) : String(k);
    const keyLoc = nodeLoc(src, k);
    const value = (item.value as Node | null) ?? null;
    const valueLoc = value && !isNullNode(value) ? nodeLoc(src, value, keyLoc) : keyLoc;
    out.push({ key: keyText, keyLoc, value, valueLoc });
  }
  return out;
}

export function nodeValue(src: YamlSource, node: Node | null): unknown {
  if (node == null) return null;
  return node.toJS(src.doc, { maxAliasCount: 1000 });
}

export function kindOf(node: Node | null): string {
  if (node == null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return `the string "${v}"`;
    return `${typeof v} ${String(v)}`;
  }
  return 'an unknown node';
}
