import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chooseReporters, colorEnabled, isCi } from './choose-reporter.js';
import { JsonReporter } from './json-reporter.js';
import { ListrReporter } from './listr-reporter.js';
import { PlainReporter } from './plain-reporter.js';

function stream(columns?: number): NodeJS.WriteStream {
  const w = new Writable({ write: (_c, _e, cb) => cb() }) as unknown as NodeJS.WriteStream;
  if (columns !== undefined) Object.assign(w, { columns });
  return w;
}

describe('chooseReporters', () => {
  it.each([
    ['json wins over a TTY', { json: true, tty: true, ci: false }, JsonReporter],
    ['TTY outside CI: live view', { json: false, tty: true, ci: false }, ListrReporter],
    ['TTY in CI: plain', { json: false, tty: true, ci: true }, PlainReporter],
    ['pipe: plain', { json: false, tty: false, ci: false }, PlainReporter],
  ])('%s', async (_name, flags, kind) => {
    const reporters = await chooseReporters({ ...flags, color: false, verbose: 0, diff: false, out: stream(120), err: stream() });
    expect(reporters).toHaveLength(1);
    expect(reporters[0]).toBeInstanceOf(kind);
  });

  it('a TTY without a size gets plain lines', async () => {
    const [r] = await chooseReporters({ json: false, tty: true, ci: false, color: false, verbose: 0, diff: false, out: stream(0), err: stream() });
    expect(r).toBeInstanceOf(PlainReporter);
  });
});

describe('colorEnabled', () => {
  it.each([
    ['default follows the TTY', {}, true, undefined, true],
    ['default off on a pipe', {}, false, undefined, false],
    ['NO_COLOR disables', { NO_COLOR: '1' }, true, undefined, false],
    ['empty NO_COLOR is ignored', { NO_COLOR: '' }, true, undefined, true],
    ['--no-color disables', {}, true, false, false],
    ['FORCE_COLOR enables on a pipe', { FORCE_COLOR: '1' }, false, undefined, true],
    ['FORCE_COLOR=0 disables', { FORCE_COLOR: '0' }, true, undefined, false],
    ['NO_COLOR beats FORCE_COLOR', { NO_COLOR: 'x', FORCE_COLOR: '1' }, true, undefined, false],
    ['--color beats NO_COLOR', { NO_COLOR: '1' }, false, true, true],
  ])('%s', (_name, env, tty, flag, expected) => {
    expect(colorEnabled(env, tty, flag)).toBe(expected);
  });
});

describe('isCi', () => {
  it.each([
    [{}, false],
    [{ CI: 'true' }, true],
    [{ CI: 'false' }, false],
    [{ GITHUB_ACTIONS: 'true' }, true],
  ])('%j -> %s', (env, expected) => {
    expect(isCi(env)).toBe(expected);
  });
});
