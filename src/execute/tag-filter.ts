/**
 * Which tasks run under --tags/--skip-tags, with Ansible's semantics:
 * - no --tags: everything runs except tasks tagged `never`;
 * - `always` runs unless `always` itself is skipped (--skip-tags always);
 * - `never` runs only when one of its other tags (or `never`) is asked for explicitly;
 * - special selectors `tagged`, `untagged`, `all`.
 * Tags are inherited: a task's effective tags = play + enclosing blocks + its own.
 */

export interface TagSelection {
  readonly only: readonly string[];
  readonly skip: readonly string[];
}

export function shouldRunTags(taskTags: readonly string[], sel: TagSelection): boolean {
  const tags = new Set(taskTags);
  if (sel.skip.length > 0) {
    if (sel.skip.includes('all')) return false;
    if (sel.skip.includes('tagged') && tags.size > 0) return false;
    if (sel.skip.includes('untagged') && tags.size === 0) return false;
    if (sel.skip.some((t) => tags.has(t))) return false;
  }
  if (tags.has('always') && !sel.skip.includes('always')) return true;
  const only = sel.only.length > 0 ? sel.only : ['all'];
  if (tags.has('never')) {
    return only.some((t) => t !== 'all' && (tags.has(t) || (t === 'tagged')));
  }
  return only.some((t) => {
    if (t === 'all') return true;
    if (t === 'tagged') return tags.size > 0;
    if (t === 'untagged') return tags.size === 0;
    return tags.has(t);
  });
}
