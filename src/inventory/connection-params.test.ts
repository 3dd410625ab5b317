import { describe, expect, test } from 'vitest';
import { K3playError } from '../errors/k3play-error.js';
import { connectionParams, toBool } from './connection-params.js';

describe('connectionParams', () => {
  test.each<[string, Record<string, unknown>, ReturnType<typeof connectionParams>]>([
    ['defaults from the inventory name', { inventory_hostname: 'h1' }, { host: 'h1', port: 22, connection: 'ssh' }],
    [
      'Ansible names, INI strings coerced',
      {
        inventory_hostname: 'h1',
        ansible_host: '10.231.0.11',
        ansible_port: '2222',
        ansible_user: 'root',
        ansible_ssh_private_key_file: '~/.ssh/lab',
        ansible_password: 'pw',
        ansible_become: 'yes',
        ansible_become_user: 'root',
        ansible_become_method: 'sudo',
        ansible_become_pass: 'bpw',
        ansible_ssh_common_args: '-o ProxyJump=bastion',
      },
      {
        host: '10.231.0.11',
        port: 2222,
        user: 'root',
        privateKeyFile: '~/.ssh/lab',
        password: 'pw',
        become: true,
        becomeUser: 'root',
        becomeMethod: 'sudo',
        becomePassword: 'bpw',
        connection: 'ssh',
        sshCommonArgs: '-o ProxyJump=bastion',
      },
    ],
    [
      'k3play names win over ansible names',
      {
        ansible_host: '10.0.0.1',
        k3play_host: '10.231.0.12',
        ansible_port: 22,
        k3play_port: 2200,
        ansible_user: 'a',
        k3play_user: 'k',
        ansible_ssh_private_key_file: 'a.key',
        k3play_private_key: 'k.key',
        ansible_become: true,
        k3play_become: 'no',
        ansible_become_user: 'a',
        k3play_become_user: 'k',
        ansible_become_password: 'a',
        k3play_become_password: 'k',
        ansible_connection: 'ssh',
        k3play_connection: 'local',
      },
      { host: '10.231.0.12', port: 2200, user: 'k', privateKeyFile: 'k.key', become: false, becomeUser: 'k', becomePassword: 'k', connection: 'local' },
    ],
    ['implicit localhost is local', { inventory_hostname: 'localhost' }, { host: 'localhost', port: 22, connection: 'local' }],
    ['localhost with an address is ssh', { inventory_hostname: 'localhost', ansible_host: '127.0.0.1' }, { host: '127.0.0.1', port: 22, connection: 'ssh' }],
    ['become_password beats become_pass', { inventory_hostname: 'h', ansible_become_password: 'new', ansible_become_pass: 'old' }, { host: 'h', port: 22, connection: 'ssh', becomePassword: 'new' }],
    ['smart is ssh', { inventory_hostname: 'h', ansible_connection: 'smart' }, { host: 'h', port: 22, connection: 'ssh' }],
  ])('%s', (_label, vars, want) => expect(connectionParams(vars)).toEqual(want));

  test('invalid values are all reported', () => {
    try {
      connectionParams({ inventory_hostname: 'h1', ansible_port: 'ssh', ansible_become: 'maybe', ansible_connection: 'winrm' });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(K3playError);
      expect((e as K3playError).problems.map((p) => p.message)).toEqual([
        'ansible_port must be a port number 1-65535, got "ssh"',
        'ansible_connection=winrm is not supported',
        'ansible_become must be a boolean, got "maybe"',
      ]);
      expect((e as K3playError).problems[0]!.context).toBe('host h1');
    }
  });
});

describe('toBool', () => {
  test.each([
    ['yes', true], ['Yes', true], ['true', true], ['1', true], ['on', true], [true, true], [1, true],
    ['no', false], ['FALSE', false], ['0', false], ['off', false], [false, false], [0, false],
    ['maybe', undefined], [2, undefined], [null, undefined],
  ])('%j -> %j', (v, want) => expect(toBool(v)).toBe(want));
});
