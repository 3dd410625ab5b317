/**
 * Pure version ordering: Debian (dpkg --compare-versions, deb-version(7)) and rpm (rpmvercmp
 * over epoch:version-release). Used to refuse downgrades and to see whether a candidate is
 * newer; the host's own tools are not asked (plan is pure). No I/O.
 */

function dpkgOrder(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[0-9]/.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp on one part (upstream or revision). */
function dpkgPartCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let first = 0;
    while ((i < a.length && !/[0-9]/.test(a[i] as string)) || (j < b.length && !/[0-9]/.test(b[j] as string))) {
      const ac = dpkgOrder(i < a.length ? a[i] : undefined);
      const bc = dpkgOrder(j < b.length ? b[j] : undefined);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (i < a.length && /[0-9]/.test(a[i] as string) && j < b.length && /[0-9]/.test(b[j] as string)) {
      if (first === 0) first = (a.charCodeAt(i) as number) - (b.charCodeAt(j) as number);
      i++;
      j++;
    }
    if (i < a.length && /[0-9]/.test(a[i] as string)) return 1;
    if (j < b.length && /[0-9]/.test(b[j] as string)) return -1;
    if (first !== 0) return first;
  }
  return 0;
}

function splitDebian(v: string): [number, string, string] {
  const colon = v.indexOf(':');
  const epoch = colon > 0 ? Number(v.slice(0, colon)) : 0;
  const rest = colon > 0 ? v.slice(colon + 1) : v;
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, ''];
}

/** <0, 0, >0 as `dpkg --compare-versions a lt|eq|gt b`. */
export function compareDebianVersions(a: string, b: string): number {
  const [ea, ua, ra] = splitDebian(a);
  const [eb, ub, rb] = splitDebian(b);
  if (ea !== eb) return ea - eb;
  return Math.sign(dpkgPartCompare(ua, ub)) || Math.sign(dpkgPartCompare(ra, rb));
}

/** rpmvercmp: alternating alphabetic and numeric segments; `~` sorts before anything, `^` after the end. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !/[A-Za-z0-9~^]/.test(a[i] as string)) i++;
    while (j < b.length && !/[A-Za-z0-9~^]/.test(b[j] as string)) j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = /[0-9]/.test(a[i] as string);
    const seg = numeric ? /^[0-9]+/ : /^[A-Za-z]+/;
    const sa = seg.exec(a.slice(i))?.[0] ?? '';
    const sb = seg.exec(b.slice(j))?.[0] ?? '';
    if (sb === '') return numeric ? 1 : -1;
    i += sa.length;
    j += sb.length;
    if (numeric) {
      const na = sa.replace(/^0+/, '');
      const nb = sb.replace(/^0+/, '');
      if (na.length !== nb.length) return na.length > nb.length ? 1 : -1;
      if (na !== nb) return na > nb ? 1 : -1;
    } else if (sa !== sb) return sa > sb ? 1 : -1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface Evr {
  readonly epoch: number;
  readonly version: string;
  /** undefined: not given (a pin like `1.22.3` matches any release). */
  readonly release?: string;
}

/** `[epoch:]version[-release]` -> Evr. */
export function parseEvr(s: string): Evr {
  const colon = s.indexOf(':');
  const epoch = colon > 0 ? Number(s.slice(0, colon)) : 0;
  const rest = colon > 0 ? s.slice(colon + 1) : s;
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) } : { epoch, version: rest };
}

/** Compares a (pin) with b (installed); a release missing on either side is not compared. */
export function compareRpmEvr(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0 || x.release === undefined || y.release === undefined) return v;
  return rpmvercmp(x.release, y.release);
}
