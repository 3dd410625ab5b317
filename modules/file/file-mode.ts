/**
 * File modes as k3play compares them: 4-digit octal strings ("0644", "4755"). Owns the
 * coercion of user input (strings and YAML numbers) and of `stat %a` output; nothing else.
 */
import { TaskFailure } from '../../src/module-api/index.js';

/**
 * User input -> "0644". Numbers are read by their decimal digits as octal: YAML 1.2 (the yaml
 * package) parses `mode: 0644` as the integer 644, which the user meant as octal 0644. A number
 * written as `0o644` arrives as 420 and becomes "0420": that case cannot be told apart, so the
 * docs say to quote modes.
 */
export function normalizeMode(mode: string | number | undefined): string | undefined {
  if (mode === undefined) return undefined;
  const digits = typeof mode === 'number' ? (Number.isInteger(mode) && mode >= 0 ? String(mode) : '') : mode.trim().replace(/^0o/i, '');
  if (!/^[0-7]{1,5}$/.test(digits) || digits.replace(/^0+(?=.)/, '').length > 4) {
    throw new TaskFailure(`mode ${JSON.stringify(mode)} is not an octal mode`, 'write it as a quoted octal string, e.g. mode: "0644"');
  }
  return digits.replace(/^0+(?=.)/, '').padStart(4, '0');
}

/** `stat -c %a` output ("644", "4755") -> "0644" / "4755". */
export function statMode(a: string): string {
  return a.padStart(4, '0');
}
