/**
 * POSIX sh quoting. The only way a string reaches a remote shell: argv arrays are joined with
 * `shellQuote`, raw scripts are written with the `sh` tag, which quotes every interpolation.
 * Nothing in k3play builds a shell command by concatenating unquoted strings.
 */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** A shell script whose interpolated values were quoted when it was built. */
export interface ShellScript {
  readonly kind: 'sh';
  readonly script: string;
}

export function isShellScript(v: unknown): v is ShellScript {
  return typeof v === 'object' && v !== null && (v as ShellScript).kind === 'sh';
}

/** Raw script text, for literal scripts with nothing interpolated (e.g. a probe script file). */
export function rawScript(script: string): ShellScript {
  return { kind: 'sh', script };
}

/**
 * Tagged template: sh`test -e ${path} && cat ${path}`. Strings are quoted; arrays are quoted
 * element-wise and joined with spaces; nested ShellScripts are inserted as is.
 */
export function sh(strings: TemplateStringsArray, ...values: unknown[]): ShellScript {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += quoteValue(v) + (strings[i + 1] ?? '');
  });
  return { kind: 'sh', script: out };
}

function quoteValue(v: unknown): string {
  if (isShellScript(v)) return v.script;
  if (Array.isArray(v)) return v.map((x) => quoteValue(x)).join(' ');
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string') return shellQuote(v);
  throw new TypeError(`sh\`\`: cannot interpolate ${typeof v}; pass a string, number, array or sh\`\` script`);
}
