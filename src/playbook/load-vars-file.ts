/**
 * Vars files (`vars_files:` of a play, `-e @file.yml`): one YAML mapping of variable names to
 * values. Returns the values and where each name is written (for `--explain` and errors);
 * throws a K3playError with every problem of the file at once. Values are not rendered.
 */
import { ExitCode, K3playError, type Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { locate } from '../errors/yaml-source.js';
import { IDENTIFIER_HINT, isIdentifier, isMapping } from './keyword-values.js';
import { describeValue } from './schema-problems.js';
import { absolutePath, displayPath, readYamlFile } from './yaml-file.js';

export interface VarsFile {
  /** Path as shown to users (relative to cwd). */
  readonly file: string;
  readonly vars: Readonly<Record<string, unknown>>;
  /** The file itself (line 1). */
  readonly loc: SourceLocation;
  /** Where each variable's name is written. */
  readonly varLocs: Readonly<Record<string, SourceLocation>>;
}

export async function loadVarsFile(file: string, opts: { cwd?: string } = {}): Promise<VarsFile> {
  const cwd = opts.cwd ?? process.cwd();
  const abs = absolutePath(file, cwd);
  const shown = displayPath(abs, cwd);
  const read = await readYamlFile(abs, cwd, 'vars file');
  if (!read.ok) throw new K3playError(read.problems, ExitCode.invalidInput);
  const src = read.src;
  const loc = { file: shown, line: 1, col: 1 };
  const value = src.value;
  if (value === null || value === undefined) return { file: shown, vars: {}, loc, varLocs: {} };
  if (!isMapping(value)) {
    throw new K3playError(
      { loc: locate(src, []), message: `a vars file must be a mapping of variable names to values (got ${describeValue(value)})`, hint: 'write one name: value per line, e.g. k3s_version: v1.30.2+k3s1' },
      ExitCode.invalidInput,
    );
  }
  const problems: Problem[] = [];
  const varLocs: Record<string, SourceLocation> = {};
  for (const k of Object.keys(value)) {
    varLocs[k] = locate(src, [k], 'key');
    if (!isIdentifier(k)) problems.push({ loc: varLocs[k], message: `"${k}" is not a valid variable name`, hint: IDENTIFIER_HINT });
  }
  if (problems.length > 0) throw new K3playError(problems, ExitCode.invalidInput);
  return { file: shown, vars: { ...value }, loc, varLocs };
}
