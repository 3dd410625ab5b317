import { describe, expect, test } from 'vitest';
import type { EtcdState } from '../k3s_install/read-install.js';
import { parseEtcdStatus } from '../k3s_install/read-install.js';
import { planMember } from './plan-member.js';

/** Three servers h1-h3 (10.0.0.1-3); `up` says which answer /health; `learner` marks one. */
function state(up: boolean[], learner?: number): EtcdState {
  return {
    members: up.map((_, i) => ({ id: String(100 + i), name: `h${i + 1}-0a1b2c3d`, peerURLs: [`https://10.0.0.${i + 1}:2380`], clientURLs: [`https://10.0.0.${i + 1}:2379`], isLearner: i === learner })),
    health: new Map(up.map((h, i) => [`https://10.0.0.${i + 1}:2379`, h])),
  };
}
const IPS = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];

describe('k3s_etcd_member', () => {
  test('expected: converged', () => expect(planMember({ expected: IPS }, state([true, true, true]))).toEqual([]));
  test('expected as text from a handlebars loop', () => expect(planMember({ expected: '10.0.0.1 10.0.0.2, 10.0.0.3 ' }, state([true, true, true]))).toEqual([]));
  test('expected: every difference at once', () => {
    expect(() => planMember({ expected: ['10.0.0.1', '10.0.0.2', '10.0.0.9'] }, state([true, false, true], 0))).toThrow(
      'etcd members differ from the servers: still a learner (not voting): h1-0a1b2c3d (https://10.0.0.1:2380); unhealthy: h2-0a1b2c3d (https://10.0.0.2:2380); missing: https://10.0.0.9:2380; unexpected (stale?) member: h3-0a1b2c3d (https://10.0.0.3:2380)',
    );
  });
  test('remove a dead member: 2 of 2 left, allowed', () => {
    const c = planMember({ remove: ['h3'], expected: ['10.0.0.1', '10.0.0.2'] }, state([true, true, false]));
    expect(c.map((x) => x.summary)).toEqual(['remove etcd member h3-0a1b2c3d (https://10.0.0.3:2380)']);
    expect(c[0]!.steps[0]).toMatchObject({ kind: 'exec' });
    expect(JSON.stringify(c[0]!.steps[0])).toContain('{\\"ID\\":\\"102\\"}');
  });
  test('remove by IP or peer URL; absent: no change', () => {
    expect(planMember({ remove: ['10.0.0.2'] }, state([true, true, true])).length).toBe(1);
    expect(planMember({ remove: ['https://10.0.0.3:2380'] }, state([true, true, true])).length).toBe(1);
    expect(planMember({ remove: ['h7'] }, state([true, true, true]))).toEqual([]);
  });
  test('quorum: removing a healthy member while another is down', () => {
    expect(() => planMember({ remove: ['h1'] }, state([true, false, false]))).toThrow(/would leave 0 healthy of 2 voting members; quorum needs 2/);
    expect(planMember({ remove: ['h1'], force: true }, state([true, false, false])).length).toBe(1);
  });
  test('no etcd here, or it does not answer', () => {
    expect(() => planMember({ expected: IPS }, null)).toThrow(/has no k3s embedded etcd/);
    expect(() => planMember({ expected: IPS }, parseEtcdStatus('etcd.members=error:curl: (7) Failed to connect\n'))).toThrow(/does not answer: curl: \(7\)/);
  });
});
