/**
 * Reading one YAML file of the playbook tree (playbook, imported playbook, task file, vars file)
 * into a positioned document. Owns: resolving paths against cwd, the display path (relative to
 * cwd, as users see it), "file not found" problems, and a clearer report for tab indentation.
 * It does not interpret the YAML content.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Node } from 'yaml';
import type { Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { parseYamlSource, type YamlSource } from '../errors/yaml-source.js';

export interface SourceDoc extends YamlSource {
  /** Absolute path, the identity used for import-cycle detection. */
  readonly abs: string;
  readonly text: string;
}

export type DocPath = readonly (string | number)[];

/** Path as users see it: relative to cwd (messages and committed snapshots never hold absolute paths). */
export function displayPath(abs: string, cwd: string): string {
  return relative(cwd, abs) || abs;
}

export function absolutePath(file: string, baseDir: string): string {
  return isAbsolute(file) ? file : resolve(baseDir, file);
}

export type ReadResult = { ok: true; src: SourceDoc } | { ok: false; problems: Problem[] };

/**
 * Reads and parses `abs`. A missing or unreadable file is one problem located at `ref` (the
 * import line) when given; YAML syntax problems are returned as they are (the caller stops
 * interpreting that file).
 */
export async function readYamlFile(abs: string, cwd: string, what: string, ref?: SourceLocation): Promise<ReadResult> {
  const shown = displayPath(abs, cwd);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    return {
      ok: false,
      problems: [
        {
          loc: ref ?? { file: shown, line: 0, col: 0 },
          message: `cannot read ${what} ${shown}: ${reason}`,
          hint: ref ? 'the path is relative to the file that contains the import' : 'check the path (relative paths start at the current directory)',
        },
      ],
    };
  }
  const parsed = parseYamlSource(text, shown);
  if (parsed.problems.length > 0) return { ok: false, problems: withTabProblems(parsed.problems, text, shown) };
  return { ok: true, src: { ...parsed, abs, text } };
}

/**
 * The yaml package reports tab indentation as a cascade of confusing errors on the same line
 * ("Unexpected scalar at node end", ...). Lines indented with tabs get one clear problem each,
 * and the other errors on those lines are dropped.
 */
function withTabProblems(problems: readonly Problem[], text: string, file: string): Problem[] {
  const tabLines = new Set<number>();
  text.split('\n').forEach((line, i) => {
    if (/^[ ]*\t/.test(line) && line.trim() !== '') tabLines.add(i + 1);
  });
  if (tabLines.size === 0) return [...problems];
  const out: Problem[] = [...tabLines].map((line) => ({
    loc: { file, line, col: 1 },
    message: 'YAML syntax error: tab character used for indentation',
    hint: 'YAML indentation must use spaces; replace the tabs on this line with spaces',
  }));
  for (const p of problems) if (!p.loc || !tabLines.has(p.loc.line)) out.push(p);
  return out.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0));
}

/** The source text of the node at `path` (e.g. `0644` for a value parsed as the number 644). */
export function sourceText(src: SourceDoc, path: DocPath): string | undefined {
  const node = src.doc.getIn(path, true) as Node | undefined;
  const range = node && typeof node === 'object' ? node.range : undefined;
  return range ? src.text.slice(range[0], range[1]).trim() : undefined;
}
