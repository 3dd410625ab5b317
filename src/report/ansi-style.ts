/**
 * A tiny ANSI palette for the human reporters. Whether to color is decided once, by the caller
 * (see colorEnabled in choose-reporter.ts), and passed in: nothing here looks at the terminal or
 * the environment, so output is deterministic in tests.
 */

export type Paint = (text: string) => string;

export interface Palette {
  readonly green: Paint;
  readonly yellow: Paint;
  readonly red: Paint;
  readonly cyan: Paint;
  readonly magenta: Paint;
  readonly bold: Paint;
  readonly dim: Paint;
}

const plain: Paint = (text) => text;

function sgr(open: number, close: number): Paint {
  return (text) => (text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`);
}

const COLORED: Palette = {
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  red: sgr(31, 39),
  cyan: sgr(36, 39),
  magenta: sgr(35, 39),
  bold: sgr(1, 22),
  dim: sgr(2, 22),
};

const PLAIN: Palette = {
  green: plain,
  yellow: plain,
  red: plain,
  cyan: plain,
  magenta: plain,
  bold: plain,
  dim: plain,
};

export function palette(color: boolean): Palette {
  return color ? COLORED : PLAIN;
}

// eslint-disable-next-line no-control-regex
const ANSI_SGR = /\u001b\[[0-9;]*m/g;

/** Remove color codes (for width computations and tests). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SGR, '');
}
