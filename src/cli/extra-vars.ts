/**
 * `-e` values, as ansible-playbook takes them: `k=v` (several space-separated pairs in one -e,
 * values as strings), a JSON or YAML mapping (`-e '{"a": 1}'`), or `@file.yml` (YAML/JSON file).
 * Later -e win over earlier ones.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { K3playError } from '../errors/k3play-error.js';
import { parseYamlSource } from '../errors/yaml-source.js';
import { splitShellWords } from '../inventory/shell-words.js';

export async function parseExtraVars(values: readonly string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const raw of values) {
    const v = raw.trim();
    if (v.startsWith('@')) {
      const file = v.slice(1);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw new K3playError({ message: `-e @${file}: file not found`, hint: 'give the path of a YAML or JSON file with a mapping of variables' });
      }
      // Through parseYamlSource: a vault-encrypted file or `!vault` values decrypt to Secrets.
      const src = parseYamlSource(text, file);
      if (src.problems.length > 0) throw new K3playError([...src.problems]);
      Object.assign(out, asMapping(src.value, `-e @${file}`));
    } else if (v.startsWith('{')) {
      Object.assign(out, asMapping(parseYamlSafe(v, '-e'), '-e'));
    } else {
      const words = splitShellWords(v);
      for (const w of words.words) {
        const eq = w.text.indexOf('=');
        if (eq <= 0) {
          throw new K3playError({ message: `-e ${JSON.stringify(raw)}: expected key=value, a JSON mapping or @file`, hint: 'example: -e k3s_version=v1.28.5+k3s1 -e @vars.yml' });
        }
        out[w.text.slice(0, eq)] = w.text.slice(eq + 1);
      }
    }
  }
  return out;
}

function parseYamlSafe(text: string, what: string): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    throw new K3playError({ message: `${what}: not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}` });
  }
}

function asMapping(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new K3playError({ message: `${what}: must be a mapping of variable names to values` });
  }
  return v as Record<string, unknown>;
}
