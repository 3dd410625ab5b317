import { describe, expect, it } from 'vitest';
import { shouldRunTags } from './tag-filter.js';

describe('shouldRunTags (Ansible semantics)', () => {
  it.each([
    // task tags, --tags, --skip-tags, runs?
    [[], [], [], true],
    [['a'], [], [], true],
    [['never'], [], [], false],
    [['never', 'debug'], ['debug'], [], true],
    [['never'], ['never'], [], true],
    [['always'], ['other'], [], true],
    [['always'], [], ['always'], false],
    [['a'], ['b'], [], false],
    [['a', 'b'], ['b'], [], true],
    [['a'], [], ['a'], false],
    [[], ['tagged'], [], false],
    [['x'], ['tagged'], [], true],
    [[], ['untagged'], [], true],
    [['x'], [], ['tagged'], false],
    [['never', 'x'], ['all'], [], false],
    [['always'], ['all'], [], true],
  ])('%j with --tags %j --skip-tags %j -> %s', (tags, only, skip, expected) => {
    expect(shouldRunTags(tags, { only, skip })).toBe(expected);
  });
});
