import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MASK, Secret } from '../module-api/secret.js';
import { createEventBus } from './event-bus.js';
import { JsonReporter } from './json-reporter.js';
import { ListrReporter } from './listr-reporter.js';
import { maskEvent } from './masker.js';
import { PlainReporter } from './plain-reporter.js';
import type { Reporter, RunEvent } from './run-event.js';

const events = JSON.parse(readFileSync(new URL('./testdata/run-events.json', import.meta.url), 'utf8')) as RunEvent[];
const TOKEN = 's3cr3t-token';
new Secret(TOKEN);

const leaky: RunEvent = {
  type: 'host_result',
  task: 'join cluster',
  module: 'command',
  host: 'h1',
  status: 'failed',
  msg: `k3s agent --token ${TOKEN} failed`,
  hint: `check the token (${TOKEN})`,
  item: `token=${TOKEN}`,
  stdout: `using token ${TOKEN}\n`,
  stderr: `error: token ${TOKEN} rejected; extra-value-42 too`,
  changes: [
    {
      summary: `write /etc/rancher/k3s/config.yaml (token: ${TOKEN})`,
      diff: { path: '/etc/rancher/k3s/config.yaml', before: null, after: `token: ${TOKEN}\nserver: https://vip:6443\n` },
    },
  ],
  durationMs: 5,
};

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const w = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream: w as unknown as NodeJS.WriteStream, text: () => text };
}

describe('masking', () => {
  it('maskEvent scrubs every string field, deep, without touching the input', () => {
    const masked = maskEvent(leaky, ['extra-value-42']);
    const json = JSON.stringify(masked);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain('extra-value-42');
    expect(json).toContain(MASK);
    expect(JSON.stringify(leaky)).toContain(TOKEN); // input unchanged
    expect(masked.type === 'host_result' && masked.changes[0]?.diff?.after).toBe(`token: ${MASK}\nserver: https://vip:6443\n`);
  });

  it('no reporter output contains a registered secret', async () => {
    const outs = { plain: sink(), json: sink(), doc: sink(), listr: sink(), err: sink() };
    const bus = createEventBus(
      [
        new PlainReporter({ out: outs.plain.stream, color: true, verbose: 2, diff: true }),
        new JsonReporter({ out: outs.json.stream }),
        new JsonReporter({ out: outs.doc.stream, mode: 'document' }),
        new ListrReporter({ out: outs.listr.stream, err: outs.err.stream, color: false, verbose: 2, diff: true, renderer: 'test' }),
      ],
      { extraMask: () => ['extra-value-42'] },
    );
    const input = [...events.slice(0, 3), leaky, ...events.slice(3)];
    for (const e of input) bus.emit(e);
    await bus.finish();
    for (const [name, o] of Object.entries(outs)) {
      if (name === 'err') continue;
      expect(o.text(), name).toContain(MASK);
    }
    for (const o of Object.values(outs)) {
      expect(o.text()).not.toContain(TOKEN);
      expect(o.text()).not.toContain('extra-value-42');
    }
  });
});

describe('createEventBus', () => {
  it('a throwing reporter is reported once and does not stop the others', async () => {
    const seen: string[] = [];
    let errText = '';
    const broken: Reporter = {
      handle() {
        throw new Error('boom');
      },
      finish: () => Promise.reject(new Error('flush failed')),
    };
    const good: Reporter = { handle: (e) => void seen.push(e.type), finish: () => Promise.resolve() };
    const bus = createEventBus([broken, good], { errOut: { write: (s: string) => (errText += s) } });
    for (const e of events) bus.emit(e);
    await expect(bus.finish()).resolves.toBeUndefined();
    expect(seen).toEqual(events.map((e) => e.type));
    expect(errText.trimEnd().split('\n')).toHaveLength(1);
    expect(errText).toContain('boom');
    bus.emit(events[0]!); // after finish: ignored
    expect(seen).toHaveLength(events.length);
  });
});
