/**
 * Test helper: every argument of a module schema needs a description (they feed
 * `k3play modules NAME`), nested ones too. Pure; used by module unit tests.
 */
/** Paths of schema properties (at any depth) without a description. */
export function undescribed(schema: Record<string, unknown>, at = 'args'): string[] {
  const out: string[] = [];
  const props = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  for (const [k, p] of Object.entries(props)) {
    if (!p['description']) out.push(`${at}.${k}`);
    out.push(...undescribed(p, `${at}.${k}`));
    const items = p['items'] as Record<string, unknown> | undefined;
    if (items) out.push(...undescribed(items, `${at}.${k}[]`));
    for (const alt of [...((p['anyOf'] as Record<string, unknown>[] | undefined) ?? [])]) {
      out.push(...undescribed(alt, `${at}.${k}`));
      const ai = alt['items'] as Record<string, unknown> | undefined;
      if (ai) {
        out.push(...undescribed(ai, `${at}.${k}[]`));
        for (const x of (ai['anyOf'] as Record<string, unknown>[] | undefined) ?? []) out.push(...undescribed(x, `${at}.${k}[]`));
      }
    }
  }
  return out;
}
