/**
 * `template`: render a controller template file with the task's variables (prepare, on the
 * controller) and write the result like `copy` does (../copy/plan-content.ts). What is read
 * from the host is content, never rendered again. read is ONE round trip.
 */
import { defineModule, TaskFailure } from '../../src/module-api/index.js';
import { absolutePath, wantedAttrs } from '../copy/content-args.js';
import { readContentState, type ContentState } from '../copy/content-read.js';
import { readControllerFile } from '../copy/index.js';
import { planContent } from '../copy/plan-content.js';
import { templateArgsSchema, type TemplateArgs } from './args.js';

export default defineModule<TemplateArgs, ContentState>({
  name: 'template',
  summary: 'Render a Handlebars template file from the controller with the task\'s variables and write it to the host, with mode/owner/group, backup and validation.',
  args: templateArgsSchema,
  examples: [
    `- name: k3s server config
  template:
    src: k3s-config.yaml.hbs     # templates/k3s-config.yaml.hbs beside the playbook
    dest: /etc/rancher/k3s/config.yaml
    mode: "0600"`,
    `- name: haproxy in front of the API servers
  template:
    src: haproxy.cfg.hbs
    dest: /etc/haproxy/haproxy.cfg
    backup: true
    validate: haproxy -c -f %s`,
  ],

  async prepare(args, ctx) {
    const abs = ctx.resolvePath(args.src, 'templates');
    const raw = await readControllerFile(ctx, abs, args.src);
    return { ...args, content: ctx.renderTemplate(raw.toString('utf8'), abs) };
  },

  async read(probe, args) {
    return readContentState(probe, absolutePath(args.dest, 'dest'));
  },

  plan(args, current) {
    if (args.content === undefined) throw new TaskFailure('template: the template was not rendered (prepare did not run)');
    const keep = args.force === false && current.kind !== 'absent';
    return planContent({ path: absolutePath(args.dest, 'dest'), content: keep ? null : Buffer.from(args.content), secret: false, ...wantedAttrs(args) }, current);
  },
});
