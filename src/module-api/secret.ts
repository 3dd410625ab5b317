/**
 * A value that must never be printed: tokens, passwords, private keys, vault-decrypted data.
 * `String(secret)`, template interpolation of `toString`, JSON.stringify and util.inspect all
 * give `********`; only `reveal()` gives the value, and only code that writes it to a host
 * (stdin, a 0600 file) may call it. Every Secret created registers its value with the run's
 * masker (see src/report/masker.ts) so it is also scrubbed from command output and diffs.
 */
import { inspect } from 'node:util';

export const MASK = '********';

const registry = new Set<string>();

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    if (value.length >= 3) registry.add(value);
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return MASK;
  }
  toJSON(): string {
    return MASK;
  }
  [inspect.custom](): string {
    return MASK;
  }
}

export function isSecret(v: unknown): v is Secret {
  return v instanceof Secret;
}

/** Every secret value seen in this process, longest first (so overlapping values mask fully). */
export function knownSecretValues(): string[] {
  return [...registry].sort((a, b) => b.length - a.length);
}

/** Register a plain string as secret without wrapping it (e.g. a no_log task's output). */
export function registerSecretValue(value: string): void {
  if (value.length >= 3) registry.add(value);
}

/** Replace every known secret value in `text` by the mask. */
export function maskSecrets(text: string): string {
  let out = text;
  for (const s of registry) {
    if (out.includes(s)) out = out.split(s).join(MASK);
  }
  return out;
}
