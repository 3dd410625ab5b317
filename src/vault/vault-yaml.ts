/**
 * Vault in YAML, for parseYamlSource (src/errors/yaml-source.ts): a whole vault-encrypted file
 * is decrypted before parsing and every string value in it becomes a Secret; an inline
 * `!vault |` scalar becomes a Secret of its decrypted text. Passwords come from the
 * process-wide keyring (vault-password.ts). Numbers and booleans of an encrypted file stay
 * plain values (they are not secret-shaped and modules need their types); mapping keys stay
 * plain strings.
 *
 * The Secret is stored as the YAML scalar node's value: `doc.toJS()` and the node-level
 * `node.toJS(doc)` used by the loaders keep scalar values as they are, so they yield the
 * Secret itself (JSON conversion, `doc.toJSON()`, gives "********"). Problems (no password, wrong password, malformed data) are
 * returned with the node's file:line:col; nothing here throws for bad input or prints secrets.
 */
import { visit, type Document, type LineCounter, type ScalarTag } from 'yaml';
import { isK3playError, type Problem } from '../errors/k3play-error.js';
import type { SourceLocation } from '../errors/source-location.js';
import { MASK, Secret } from '../module-api/secret.js';
import { decryptVault, isVaultText, noPasswordProblem } from './vault-format.js';
import { vaultPasswords } from './vault-password.js';

/** `!vault |` keeps the vault text as the scalar's value until resolveVaultNodes decrypts it. */
export const vaultTag: ScalarTag = {
  tag: '!vault',
  identify: (v) => v instanceof Secret,
  resolve: (str) => str,
  stringify: () => MASK,
};

export interface VaultFileText {
  /** The YAML to parse: the decrypted text, or `text` unchanged when it is not a vault file. */
  readonly text: string;
  readonly vaulted: boolean;
  readonly problems: readonly Problem[];
}

/** Decrypts a whole-file vault (header at the start of the text); other text passes through. */
export function decryptVaultFile(text: string, file: string): VaultFileText {
  if (!isVaultText(text)) return { text, vaulted: false, problems: [] };
  const loc: SourceLocation = { file, line: 1, col: 1 };
  const passwords = vaultPasswords();
  if (passwords.size === 0) return { text: '', vaulted: true, problems: [noPasswordProblem(loc)] };
  try {
    return { text: decryptVault(text, passwords, loc).toString('utf8'), vaulted: true, problems: [] };
  } catch (e) {
    if (isK3playError(e)) return { text: '', vaulted: true, problems: e.problems };
    throw e;
  }
}

/**
 * Decrypts every `!vault` scalar of `doc` in place and, when `wholeFileSecret`, turns every
 * other string value into a Secret too. Returns the problems found (all of them).
 */
export function resolveVaultNodes(doc: Document.Parsed, lineCounter: LineCounter, file: string, wholeFileSecret: boolean): Problem[] {
  const problems: Problem[] = [];
  const locOf = (offset: number | undefined): SourceLocation => {
    const lp = lineCounter.linePos(offset ?? 0);
    return { file, line: lp.line, col: lp.col };
  };
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key') return;
      if (node.tag === '!vault') {
        const loc = locOf(node.range?.[0]);
        if (typeof node.value !== 'string' || !isVaultText(node.value)) {
          problems.push({ loc, message: 'a !vault value must hold vault-encrypted text ($ANSIBLE_VAULT;...)', hint: 'create one with: k3play vault encrypt_string --name VAR' });
          node.value = null;
          return;
        }
        const passwords = vaultPasswords();
        if (passwords.size === 0) {
          problems.push(noPasswordProblem(loc));
          node.value = null;
          return;
        }
        try {
          node.value = new Secret(decryptVault(node.value, passwords, loc).toString('utf8'));
        } catch (e) {
          if (!isK3playError(e)) throw e;
          problems.push(...e.problems);
          node.value = null;
        }
        return;
      }
      if (wholeFileSecret && typeof node.value === 'string') node.value = new Secret(node.value);
    },
  });
  return problems;
}
