/**
 * Ansible's INI inventory format -> declarations on an InventoryBuilder, with file:line:col for
 * every host, group, child and var. Sections: `[g]` / `[g:hosts]` (hosts), `[g:vars]`,
 * `[g:children]`; lines before any section are ungrouped hosts. Comments: lines starting with
 * `#` or `;`, and `#` comments after host and children lines.
 *
 * Values stay strings everywhere. Ansible literal-evaluates `host key=value` values (so
 * `ansible_port=22` becomes the int 22) but keeps `[g:vars]` values as strings; k3play keeps
 * both as strings and lets module schemas and connection-params.ts coerce. Quotes around a
 * value are removed (`key="a b"` is `a b`). This file reads no files and throws nothing.
 */
import type { SourceLocation } from '../errors/source-location.js';
import { expandHostRange } from './host-range.js';
import type { InventoryBuilder } from './inventory-builder.js';
import { splitShellWords } from './shell-words.js';

type State = 'hosts' | 'vars' | 'children' | 'skip';

const SECTION = /^\[([^:\]\s]+)(?::([^\]\s]*))?\]\s*(?:[#;].*)?$/;

export function parseIniInventory(text: string, file: string, b: InventoryBuilder): void {
  let state: State = 'hosts';
  let group = 'ungrouped';
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const indent = raw.length - raw.trimStart().length;
    const at = (col: number): SourceLocation => ({ file, line, col });

    if (trimmed.startsWith('[')) {
      const m = SECTION.exec(trimmed);
      if (!m) {
        b.problems.add({
          loc: at(indent + 1),
          message: `malformed section header: ${trimmed}`,
          hint: 'a section is [group], [group:vars] or [group:children], with no spaces in the name',
        });
        state = 'skip';
        return;
      }
      const name = m[1]!;
      const kind = m[2];
      if (kind !== undefined && kind !== 'vars' && kind !== 'children' && kind !== 'hosts') {
        b.problems.add({
          loc: at(indent + 2 + name.length + 1),
          message: `unknown section type "${kind}" in [${name}:${kind}]`,
          hint: 'use [group] for hosts, [group:vars] for variables or [group:children] for child groups',
        });
        state = 'skip';
        return;
      }
      group = name;
      state = kind === 'vars' ? 'vars' : kind === 'children' ? 'children' : 'hosts';
      b.group(name, at(indent + 2));
      return;
    }

    switch (state) {
      case 'skip':
        return;
      case 'vars':
        return parseVarLine(raw, indent, group, at, b);
      case 'children': {
        const { words } = splitShellWords(raw);
        const first = words[0];
        if (!first) return;
        if (words.length > 1) {
          b.problems.add({
            loc: at(words[1]!.col),
            message: `malformed line in [${group}:children]: expected one group name, got "${trimmed}"`,
            hint: 'list one child group per line',
          });
          return;
        }
        if (first.text === group) {
          b.problems.add({ loc: at(first.col), message: `cyclic group children: ${group} -> ${group}`, hint: `remove ${group} from its own children` });
          return;
        }
        b.child(group, first.text, at(first.col));
        return;
      }
      case 'hosts':
        return parseHostLine(raw, trimmed, group, at, b);
    }
  });
}

function parseVarLine(raw: string, indent: number, group: string, at: (col: number) => SourceLocation, b: InventoryBuilder): void {
  const trimmed = raw.trim();
  const eq = trimmed.indexOf('=');
  if (eq <= 0) {
    b.problems.add({
      loc: at(indent + 1),
      message: `malformed line in [${group}:vars]: expected key=value, got "${trimmed}"`,
      hint: 'write one variable per line as key=value',
    });
    return;
  }
  const key = trimmed.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    b.problems.add({
      loc: at(indent + 1),
      message: `malformed line in [${group}:vars]: "${key}" is not a valid variable name`,
      hint: 'variable names use letters, digits and underscores, and do not start with a digit',
    });
    return;
  }
  b.groupVar(group, key, unquote(trimmed.slice(eq + 1).trim()), at(indent + 1));
}

/** `"a b"` / `'a b'` -> `a b`, allowing a `# comment` after the closing quote. */
function unquote(v: string): string {
  const q = v[0];
  if (q !== '"' && q !== "'") return v;
  const close = v.indexOf(q, 1);
  if (close < 0) return v;
  const rest = v.slice(close + 1).trim();
  if (rest !== '' && !rest.startsWith('#')) return v;
  return v.slice(1, close);
}

function parseHostLine(raw: string, trimmed: string, group: string, at: (col: number) => SourceLocation, b: InventoryBuilder): void {
  const { words, unclosedQuoteCol } = splitShellWords(raw);
  if (unclosedQuoteCol !== undefined) {
    b.problems.add({
      loc: at(unclosedQuoteCol),
      message: `malformed host line: unclosed quote in "${trimmed}"`,
      hint: 'close the quote, or escape it with a backslash',
    });
    return;
  }
  const first = words[0];
  if (!first) return;
  const { name: pattern, port } = splitPort(first.text);
  const expanded = expandHostRange(pattern);
  if ('error' in expanded) {
    b.problems.add({ loc: at(first.col), message: expanded.error, hint: 'ranges look like node[01:20], node[a:c] or node[1:10:2]' });
    return;
  }
  const vars: { key: string; value: string; col: number }[] = [];
  for (const w of words.slice(1)) {
    const eq = w.text.indexOf('=');
    if (eq <= 0) {
      // One problem per line: the first bad word usually explains the rest.
      b.problems.add({
        loc: at(w.col),
        message: `malformed host line: expected key=value after the host name, got "${w.text}"`,
        hint: 'host lines are `name key=value key2="quoted value"`; one host per line',
      });
      return;
    }
    vars.push({ key: w.text.slice(0, eq), value: w.text.slice(eq + 1), col: w.col });
  }
  for (const name of expanded.names) {
    b.host(name, group, at(first.col));
    if (port !== undefined) b.hostVar(name, 'ansible_port', port, at(first.col));
    for (const v of vars) b.hostVar(name, v.key, v.value, at(v.col));
  }
}

/** `h1:2222` -> h1 + port "2222"; leaves IPv6 addresses and ranges alone. */
export function splitPort(word: string): { name: string; port?: string } {
  const m = /^(.*):(\d+)$/.exec(word);
  if (!m) return { name: word };
  const base = m[1]!;
  const outsideBrackets = base.replace(/\[[^\]]*\]/g, '');
  if (outsideBrackets.includes(':') || base.endsWith('[') || base === '') return { name: word };
  if (/\[[^\]]*$/.test(base)) return { name: word }; // the colon is inside an open range
  return { name: base, port: m[2]! };
}
