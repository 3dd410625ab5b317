/**
 * Argument schema of `blockinfile`, and its translation into a BlockEdit (regexes compiled,
 * cross-argument rules checked with TaskFailures).
 */
import type { SchemaObject } from 'ajv';
import { TaskFailure } from '../../src/module-api/index.js';
import { writeProperties, type WriteArgs } from '../copy/content-args.js';
import { compilePattern } from '../lineinfile/python-regex.js';
import { DEFAULT_MARKER, type BlockEdit } from './edit-block.js';

export interface BlockinfileArgs extends WriteArgs {
  path: string;
  block?: string;
  marker?: string;
  marker_begin?: string;
  marker_end?: string;
  insertafter?: string;
  insertbefore?: string;
  state?: 'present' | 'absent';
  create?: boolean;
}

/** The properties blockinfile shares with hosts_entries. */
export const blockPlacementProperties: Record<string, SchemaObject> = {
  marker: {
    type: 'string',
    minLength: 1,
    description: `The marker line; {mark} becomes marker_begin / marker_end. Default "${DEFAULT_MARKER}". Use a distinct marker for each block in the same file.`,
  },
  marker_begin: { type: 'string', default: 'BEGIN', description: 'What {mark} becomes in the first marker line.' },
  marker_end: { type: 'string', default: 'END', description: 'What {mark} becomes in the last marker line.' },
  insertafter: {
    type: 'string',
    minLength: 1,
    description: 'A new block goes after the LAST line matching this regular expression; EOF (the default) at the end. No match: at the end. An existing block stays where it is.',
  },
  insertbefore: { type: 'string', minLength: 1, description: 'A new block goes before the LAST line matching this regular expression; BOF at the beginning. No match: at the end.' },
};

export const blockinfileArgsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', minLength: 1, description: 'Absolute path of the file to edit.' },
    block: { type: 'string', default: '', description: 'The text between the markers (one final newline is not an extra line). Empty: the block is removed, as with state: absent.' },
    state: { type: 'string', enum: ['present', 'absent'], default: 'present', description: 'present: the block is in the file with this text. absent: the block and its markers are removed.' },
    create: { type: 'boolean', default: false, description: 'Create the file when it does not exist (otherwise a missing file is an error for state: present).' },
    ...blockPlacementProperties,
    ...writeProperties,
  },
};

export interface PlacementArgs {
  marker?: string;
  marker_begin?: string;
  marker_end?: string;
  insertafter?: string;
  insertbefore?: string;
}

export function blockEdit(args: PlacementArgs, state: 'present' | 'absent', block: string, defaultMarker = DEFAULT_MARKER): BlockEdit {
  if (args.insertafter !== undefined && args.insertbefore !== undefined) throw new TaskFailure('give insertafter or insertbefore, not both');
  const marker = args.marker ?? defaultMarker;
  const begin = args.marker_begin ?? 'BEGIN';
  const end = args.marker_end ?? 'END';
  if (!marker.includes('{mark}') && begin !== end) {
    throw new TaskFailure(`marker "${marker}" has no {mark}`, 'without {mark} both marker lines would be the same; e.g. marker: "# {mark} MY BLOCK"');
  }
  if (begin === end) throw new TaskFailure('marker_begin and marker_end must differ');
  return {
    state,
    block,
    marker,
    markerBegin: begin,
    markerEnd: end,
    insertafter: args.insertafter === undefined ? undefined : args.insertafter === 'EOF' ? 'EOF' : compilePattern(args.insertafter, '', 'insertafter'),
    insertbefore: args.insertbefore === undefined ? undefined : args.insertbefore === 'BOF' ? 'BOF' : compilePattern(args.insertbefore, '', 'insertbefore'),
  };
}
