/**
 * The shared plan of the modules that edit a file in place (lineinfile, blockinfile, replace,
 * hosts_entries): decode the current content as UTF-8 text, apply a pure edit, and hand the
 * result to planContent. Missing file: nothing to do when the edit only removes, a TaskFailure
 * unless `create`, else the edit runs on "". No I/O.
 */
import { TaskFailure, type Change } from '../../src/module-api/index.js';
import type { WantedAttrs } from './content-args.js';
import type { ContentState } from './content-read.js';
import { asText, fileOrAbsent, planContent } from './plan-content.js';

/** What an edit did: the new text and one phrase for the summary ("line added"). null = no change. */
export type EditResult = { readonly text: string; readonly summary: string } | null;

export interface EditTarget extends WantedAttrs {
  readonly path: string;
  /** The edit only removes (state: absent): a missing file is already right. */
  readonly removing: boolean;
  readonly create: boolean;
}

export function planEdit(t: EditTarget, cur: ContentState, edit: (text: string) => EditResult): Change[] {
  const file = fileOrAbsent(t.path, cur);
  if (!file) {
    if (t.removing) return [];
    if (!t.create) throw new TaskFailure(`${t.path} does not exist`, 'set create: true to create it');
  } else if (file.content === null) {
    throw new TaskFailure(`${t.path} is too large to edit (${file.attrs.size} bytes)`, 'line/block editing reads the whole file; use copy or template for it');
  }
  const before = file?.content ? asText(file.content) : '';
  if (before === null) throw new TaskFailure(`${t.path} is not UTF-8 text`, 'lineinfile, blockinfile and replace edit text files only');
  const r = edit(before);
  if (r === null && !file) return [];
  return planContent(
    {
      path: t.path,
      content: r === null ? null : Buffer.from(r.text),
      secret: false,
      ...(r ? { summary: `${file ? '' : 'create, '}${r.summary} (${t.path})` } : {}),
      mode: t.mode,
      owner: t.owner,
      group: t.group,
      backup: t.backup,
      validate: t.validate,
    },
    cur,
  );
}
