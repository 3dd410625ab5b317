import { describe, expect, test } from 'vitest';
import { ansibleStepMs, stepFromJournal } from './step-time.js';

describe('step times', () => {
  test('k3play: task_end durationMs of the named task', () => {
    const j = [
      '{"type":"task_start","task":"Gathering Facts"}',
      '{"type":"task_end","task":"connect","durationMs":2100}',
      '{"type":"task_end","task":"Gathering Facts","durationMs":812}',
      '',
    ].join('\n');
    expect(stepFromJournal(j, 'Gathering Facts')).toBe(812);
    expect(() => stepFromJournal(j, 'missing')).toThrow(/no task_end/);
  });

  test('ansible: the profile_tasks summary line (captured from ansible-core 2.14)', () => {
    const out = `PLAY RECAP *********\nl1 : ok=3 changed=0\n\nWednesday 02 December 2026  06:10:01 +0000 (0:00:00.052)       0:00:20.113 *****\n===============================================================================\nGathering Facts --------------------------------------------------------- 12.46s\nconnect ----------------------------------------------------------------- 6.61s\na fact is there --------------------------------------------------------- 0.90s\n`;
    expect(ansibleStepMs(out, 'Gathering Facts')).toBe(12460);
    expect(ansibleStepMs(out, 'connect')).toBe(6610);
    expect(() => ansibleStepMs(out, 'nope')).toThrow(/no profile_tasks line/);
  });
});
