/**
 * The build-time validators compiled into the CLI bundle, by key (precompiled-validators.ts asks
 * here first). Empty in the tsc build (and under tests): there they are loaded from
 * dist/validators/<key>.cjs. scripts/bundle.mjs replaces this module with one that requires
 * every dist/validators/<key>.cjs, so the bundle gets them with its code cache instead of a
 * module lookup, read and compile from disk per validator on every run.
 */
export const bundledValidators: Readonly<Record<string, () => unknown>> = {};
