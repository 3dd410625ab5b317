/**
 * `encrypt_string`: one value as a `NAME: !vault |` YAML snippet, laid out as ansible-vault
 * writes it (vault text indented by 10 spaces), so it can be pasted into any vars mapping.
 */
import { encryptVault } from './vault-format.js';

export function encryptStringSnippet(name: string, value: string, password: string, vaultId?: string): string {
  const lines = encryptVault(Buffer.from(value, 'utf8'), password, vaultId).trimEnd().split('\n');
  return `${name}: !vault |\n${lines.map((l) => `          ${l}`).join('\n')}`;
}
