/**
 * `copy`: a file on the host with the given content (from `content`, or a controller file
 * `src`) and mode/owner/group. prepare (controller) reads `src`; read is ONE round trip
 * (content-read.ts); plan is the shared pure plan-content.ts. `content` given as a Secret (vault value, secret variable)
 * never shows its text in a diff. The other file-content modules import this folder's shared
 * files (content-read, content-args, plan-content, plan-edit).
 */
import { posix } from 'node:path';
import { defineModule, isSecret, TaskFailure, type ControllerContext } from '../../src/module-api/index.js';
import { copyArgsSchema, type CopyArgs } from './args.js';
import { absolutePath, wantedAttrs } from './content-args.js';
import { readContentState, type ContentState } from './content-read.js';
import { planContent } from './plan-content.js';

export default defineModule<CopyArgs, ContentState>({
  name: 'copy',
  summary: 'Write a file on the host from inline content or a controller file, with mode/owner/group, optional backup and validation.',
  args: copyArgsSchema,
  examples: [
    `- name: k3s registries
  copy:
    dest: /etc/rancher/k3s/registries.yaml
    mode: "0600"
    content: |
      mirrors:
        docker.io:
          endpoint: ["https://mirror.example:5000"]`,
    `- name: haproxy config, checked before it is installed
  copy:
    src: haproxy.cfg          # files/haproxy.cfg beside the playbook
    dest: /etc/haproxy/haproxy.cfg
    backup: true
    validate: haproxy -c -f %s`,
  ],

  prepare: (args, ctx) => prepareCopy(args, ctx),

  async read(probe, args) {
    return readContentState(probe, destPath(args));
  },

  plan(args, current) {
    const content = args.content;
    if (content === undefined) throw new TaskFailure('copy: give content or src');
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(isSecret(content) ? content.reveal() : content);
    const force = args.force ?? true;
    const keep = !force && current.kind !== 'absent';
    return planContent({ path: destPath(args), content: keep ? null : bytes, secret: isSecret(content), ...wantedAttrs(args) }, current);
  },
});

/** dest, absolute; `dir/` + src keeps src's name (as Ansible does). */
function destPath(args: CopyArgs): string {
  const dest = args.dest.endsWith('/') && args.src !== undefined ? args.dest + posix.basename(args.src) : args.dest;
  return absolutePath(dest, 'dest');
}

/** Exactly one of content/src; src is read on the controller into `content` (bytes). */
export async function prepareCopy(args: CopyArgs, ctx: ControllerContext): Promise<CopyArgs> {
  if (args.content !== undefined && args.src !== undefined) throw new TaskFailure('copy: give either content or src, not both');
  if (args.src === undefined) {
    if (args.content === undefined) throw new TaskFailure('copy: give content (the text to write) or src (a file on the controller)');
    return args;
  }
  if (args.src.endsWith('/')) throw new TaskFailure(`copy: src "${args.src}" is a directory: copying directories is not supported yet`, 'copy each file with its own task (a loop)');
  const abs = ctx.resolvePath(args.src, 'files');
  return { ...args, content: await readControllerFile(ctx, abs, args.src) };
}

/** A controller file's bytes; a clear TaskFailure for a missing file or a directory. */
export async function readControllerFile(ctx: ControllerContext, abs: string, given: string): Promise<Buffer> {
  try {
    return await ctx.readFile(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new TaskFailure(`src "${given}" is a directory (${abs}): copying directories is not supported yet`, 'copy each file with its own task (a loop)');
    if (code === 'ENOENT') throw new TaskFailure(`src "${given}" not found on the controller (looked for ${abs})`, 'relative paths resolve against the playbook directory (templates/ or files/ first)');
    throw new TaskFailure(`cannot read src "${given}" (${abs}): ${(err as Error).message}`);
  }
}
