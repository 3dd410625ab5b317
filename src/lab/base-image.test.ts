import { describe, expect, it } from 'vitest';
import { BASE_PACKAGES, baseImageDir, baseImageHash, labCacheRoot } from './base-image.js';

describe('base image cache key', () => {
  it('depends on the package set, not its order', () => {
    expect(baseImageHash([...BASE_PACKAGES].reverse())).toBe(baseImageHash());
    expect(baseImageHash([...BASE_PACKAGES, 'vim'])).not.toBe(baseImageHash());
  });
  it.each([
    { env: { K3PLAY_LAB_CACHE: '/c' }, root: '/c' },
    { env: { HOME: '/h' }, root: null },
  ])('cache root from $env', ({ env, root }) => {
    if (root) expect(labCacheRoot(env)).toBe(root);
    else expect(labCacheRoot(env)).toMatch(/\.cache\/k3play\/lab$/);
    expect(baseImageDir({ K3PLAY_LAB_CACHE: '/c' })).toBe(`/c/base-${baseImageHash()}`);
  });
});
