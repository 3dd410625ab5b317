/**
 * YAML parsing that keeps positions: every node can be mapped back to file:line:col, so a
 * schema error at `/plays/0/tasks/3/sysctl/value` points at the exact text. Syntax errors of
 * the whole file are collected (the yaml package reports several per file) and returned as
 * Problems rather than thrown one by one.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Document, type Node } from 'yaml';
import type { Problem } from './k3play-error.js';
import type { SourceLocation } from './source-location.js';
import { decryptVaultFile, resolveVaultNodes, vaultTag } from '../vault/vault-yaml.js';

export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** Plain JS value of the document (maps -> objects, custom tags resolved by the caller). */
  readonly value: unknown;
  /** Syntax problems; when non-empty `value` may be partial. */
  readonly problems: readonly Problem[];
  /**
   * True when the file was a whole-file Ansible Vault: `doc` and positions then refer to the
   * decrypted text (not the file's bytes) and every string value is a Secret.
   */
  readonly vaulted?: boolean;
}

export function parseYamlSource(fileText: string, file: string): YamlSource {
  // Ansible Vault (src/vault/vault-yaml.ts): a whole encrypted file is decrypted first; inline
  // `!vault |` scalars are decrypted after parsing. Both give Secrets; both need the keyring.
  const vault = decryptVaultFile(fileText, file);
  const text = vault.text;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, keepSourceTokens: false, customTags: [vaultTag] });
  const problems: Problem[] = [...vault.problems];
  for (const err of doc.errors) {
    const pos = err.pos?.[0] ?? 0;
    const lp = lineCounter.linePos(pos);
    // A second document in one file is almost always a mistake (a stray `---`). parseDocument
    // stops there with MULTIPLE_DOCS at the second document's start: the file is parsed once.
    if (err.code === 'MULTIPLE_DOCS') {
      problems.push({
        loc: { file, line: lp.line, col: lp.col },
        message: 'more than one YAML document in this file',
        hint: 'remove the extra `---` separator; k3play reads one document per file',
      });
      continue;
    }
    problems.push({
      loc: { file, line: lp.line, col: lp.col },
      message: `YAML syntax error: ${firstLine(err.message)}`,
      hint: yamlHint(err.code),
    });
  }
  if (problems.length === 0) problems.push(...resolveVaultNodes(doc, lineCounter, file, vault.vaulted));
  const value = problems.length === 0 || doc.contents ? doc.toJS({ maxAliasCount: 1000 }) : undefined;
  return { file, doc, lineCounter, value, problems, ...(vault.vaulted ? { vaulted: true } : {}) };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function yamlHint(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'a key appears twice in the same mapping; keep one';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation: YAML uses spaces, nested keys indented the same amount';
    case 'TAB_AS_INDENT':
      return 'replace tab characters used for indentation with spaces';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a value probably needs quoting, or a `:` is missing after a key';
    default:
      return 'check the YAML syntax around this position';
  }
}

/** Position of the node at `path` (keys and indexes). Falls back to the nearest existing parent. */
export function locate(src: YamlSource, path: readonly (string | number)[], which: 'key' | 'value' = 'value'): SourceLocation {
  let node: unknown = src.doc.contents;
  let best: Node | null = (node as Node) ?? null;
  let keyNode: Node | null = null;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value;
      best = (pair.value as Node | null) ?? keyNode;
    } else if (isSeq(node)) {
      const idx = typeof seg === 'number' ? seg : Number(seg);
      const item = node.items[idx];
      if (item === undefined) break;
      keyNode = null;
      node = item;
      best = item as Node;
    } else {
      break;
    }
  }
  const target = which === 'key' && keyNode ? keyNode : best;
  const offset = target?.range?.[0] ?? 0;
  const lp = src.lineCounter.linePos(offset);
  return { file: src.file, line: lp.line, col: lp.col };
}

/** Position of the key `key` inside the map at `path` (for "unknown keyword" errors). */
export function locateKey(src: YamlSource, path: readonly (string | number)[], key: string): SourceLocation {
  return locate(src, [...path, key], 'key');
}

/** JSON-pointer (`/a/0/b`, as ajv's instancePath) to a path array. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
