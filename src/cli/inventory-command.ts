/**
 * `k3play inventory`: --list (ansible-inventory --list JSON shape), --graph, --host, --explain.
 */
import { ExitCode, K3playError } from '../errors/k3play-error.js';
import { explainVar } from '../inventory/host-vars.js';
import { hostVarsJson, inventoryGraph, inventoryListJson } from '../inventory/inventory-output.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { initVaultKeyring } from '../vault/vault-password.js';

export interface InventoryCliOptions {
  inventory: string[];
  list?: boolean;
  graph?: string | boolean;
  host?: string;
  explain?: string[];
  /** Vault password sources (src/vault/vault-password.ts). */
  vaultPasswordFile?: string[];
  vaultId?: string[];
}

export async function inventoryCommand(o: InventoryCliOptions): Promise<number> {
  const modes = [o.list, o.graph, o.host, o.explain].filter((x) => x !== undefined && x !== false).length;
  if (modes !== 1) {
    throw new K3playError({ message: 'give exactly one of --list, --graph, --host HOST, --explain HOST VAR', hint: 'example: k3play inventory -i site.ini --graph' });
  }
  await initVaultKeyring(o);
  const inv = await loadInventory(o.inventory);
  if (o.list) {
    process.stdout.write(`${JSON.stringify(inventoryListJson(inv), null, 4)}\n`);
  } else if (o.graph !== undefined && o.graph !== false) {
    process.stdout.write(`${inventoryGraph(inv, typeof o.graph === 'string' ? o.graph : undefined)}\n`);
  } else if (o.host) {
    requireHost(inv.hosts, o.host);
    process.stdout.write(`${JSON.stringify(hostVarsJson(inv, o.host), null, 4)}\n`);
  } else if (o.explain) {
    if (o.explain.length !== 2) throw new K3playError({ message: '--explain takes a host and a variable name', hint: 'example: --explain h1 k3s_version' });
    const [host, name] = o.explain as [string, string];
    requireHost(inv.hosts, host);
    process.stdout.write(`${explainVar(inv, host, name)}\n`);
  }
  return ExitCode.ok;
}

function requireHost(hosts: ReadonlyMap<string, unknown>, host: string): void {
  if (!hosts.has(host)) throw new K3playError({ message: `no host named "${host}" in the inventory`, hint: 'list hosts with: k3play inventory -i INV --graph' });
}
