import { describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi-style.js';
import { unifiedDiff } from './unified-diff.js';

describe('unifiedDiff', () => {
  it.each([
    [
      'changed file',
      { path: '/etc/a', before: 'x\ny\n', after: 'x\nz\n' },
      '--- before: /etc/a\n+++ after: /etc/a\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n',
    ],
    [
      'new file',
      { path: '/etc/b', before: null, after: 'new\n' },
      '--- before: /etc/b (absent)\n+++ after: /etc/b\n@@ -0,0 +1,1 @@\n+new\n',
    ],
    [
      'removed file',
      { path: '/etc/c', before: 'old\n', after: null },
      '--- before: /etc/c\n+++ after: /etc/c (absent)\n@@ -1,1 +0,0 @@\n-old\n',
    ],
    ['unchanged', { path: '/etc/d', before: 'same\n', after: 'same\n' }, ''],
  ])('%s', (_name, d, text) => {
    expect(unifiedDiff(d, false)).toBe(text);
    expect(stripAnsi(unifiedDiff(d, true))).toBe(text);
  });

  it('colors added and removed lines', () => {
    const text = unifiedDiff({ path: '/etc/a', before: 'y\n', after: 'z\n' }, true);
    expect(text).toContain('\u001b[31m-y\u001b[39m');
    expect(text).toContain('\u001b[32m+z\u001b[39m');
  });
});
