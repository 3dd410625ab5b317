/**
 * Reads one of the small files an SSH connection is set up from (ssh_config, known_hosts):
 * synchronously, so the first connections start without a thread-pool round trip queued behind
 * the playbook's validation. A missing file reads as empty; any other error names the file.
 */
import { readFileSync } from 'node:fs';

export function readSshFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return '';
    throw new Error(`cannot read ${what} ${file}: ${e.message}`);
  }
}
