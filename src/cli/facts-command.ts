/**
 * `k3play facts HOST -i INV`: gather one host's facts (one round trip) and print them as YAML,
 * with `--ansible` also the ansible_* aliases templates can use.
 */
import { openConnection, type ConnectOptions } from '../connection/open-connection.js';
import { ExitCode, K3playError } from '../errors/k3play-error.js';
import { formatFacts } from '../facts/format-facts.js';
import { gatherFacts } from '../facts/gather-facts.js';
import { hostVarsPlain } from '../inventory/host-vars.js';
import { loadInventory } from '../inventory/load-inventory.js';

export async function factsCommand(host: string, o: { inventory: string[]; ansible?: boolean }, connect: ConnectOptions): Promise<number> {
  const inv = await loadInventory(o.inventory);
  if (!inv.hosts.has(host)) throw new K3playError({ message: `no host named "${host}" in the inventory`, hint: 'list hosts with: k3play inventory -i INV --graph' });
  const conn = await openConnection(host, hostVarsPlain(inv, host), connect);
  try {
    const facts = await gatherFacts(conn);
    process.stdout.write(formatFacts(facts, { ansible: o.ansible ?? false }));
  } finally {
    await conn.close();
    await connect.closeAll?.();
  }
  return ExitCode.ok;
}
