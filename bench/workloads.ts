/**
 * The bench's workloads as data: which lab, which playbook for each tool, what state the lab
 * must be in first, and what every measured run must report (a run that failed, or changed
 * something on a converged lab, is an error, not a number). The playbooks live beside this
 * file: k3play/*.yml and ansible/*.yml are the same tasks written for each tool.
 */
export type LabKind = 'full' | 'fan' | 'cold';

export interface Workload {
  readonly name: string;
  readonly summary: string;
  readonly lab: LabKind;
  /** Inventory group the playbook runs on (-e bench_hosts=...). */
  readonly hosts: 'lab_full' | 'light';
  /** Playbook file name under k3play/ and ansible/. */
  readonly playbook: string;
  readonly check?: boolean;
  /** Lab state before each measured run: converged by the workload's playbook, or fresh hosts. */
  readonly before: 'none' | 'converged' | 'fresh';
  readonly expectChanged: 'zero' | 'some';
  /** Default repetitions (medians are taken over them). */
  readonly reps: number;
  /** A task whose own duration is reported too, as each tool times it (bench/step-time.ts). */
  readonly stepTask?: string;
}

export const WORKLOADS: readonly Workload[] = [
  { name: 'noop', summary: '20 x /bin/true, 5 full hosts', lab: 'full', hosts: 'lab_full', playbook: 'noop.yml', before: 'none', expectChanged: 'zero', reps: 5 },
  { name: 'prep-converged', summary: '20-task node prep, 2nd run on a converged lab (5 full hosts)', lab: 'full', hosts: 'lab_full', playbook: 'prep.yml', before: 'converged', expectChanged: 'zero', reps: 5 },
  { name: 'prep-cold', summary: 'the same node prep on fresh hosts (everything changes)', lab: 'cold', hosts: 'lab_full', playbook: 'prep.yml', before: 'fresh', expectChanged: 'some', reps: 3 },
  { name: 'check-diff', summary: 'node prep with --check --diff on the converged lab', lab: 'full', hosts: 'lab_full', playbook: 'prep.yml', check: true, before: 'converged', expectChanged: 'zero', reps: 5 },
  { name: 'fanout', summary: '5 x /bin/true on 100 light hosts', lab: 'fan', hosts: 'light', playbook: 'fanout.yml', before: 'none', expectChanged: 'zero', reps: 3 },
  { name: 'facts', summary: 'gather facts on 100 light hosts', lab: 'fan', hosts: 'light', playbook: 'facts.yml', before: 'none', expectChanged: 'zero', reps: 3 },
  // The facts step alone: a first play opens every connection, the second gathers facts; the
  // step's own time (k3play's task_end, Ansible's profile_tasks) is what operators wait for
  // once connected, which the whole-run wall of 'facts' hides behind 100 sshd logins.
  { name: 'facts-step', summary: 'the fact-gathering step on 100 light hosts, connections already open', lab: 'fan', hosts: 'light', playbook: 'facts-step.yml', before: 'none', expectChanged: 'zero', reps: 3, stepTask: 'Gathering Facts' },
];
