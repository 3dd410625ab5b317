/**
 * Starts a light host: a named netns with a veth to the bridge, then `unshare` (mount, uts,
 * ipc, pid) running a small init that builds /proc, /sys, /dev, /run inside the host's overlay
 * and execs sshd in a chroot. No systemd: cheap enough for 50-200 fan-out hosts. Resources are
 * recorded before creation; mounts made by the init live in its private mount namespace and
 * vanish with it.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { K3playError, ExitCode } from '../errors/k3play-error.js';
import { recordResource, type LabHost, type LabState } from './lab-state.js';
import { procIdentity } from './process-info.js';
import { runChecked } from './run-command.js';

/** POSIX sh, run as PID 1 of the host's pid namespace: $1 = merged root, $2 = hostname. */
export const LIGHT_INIT_SCRIPT = `#!/bin/sh
# k3play light host init (generated). Builds the host's /proc, /sys, /dev, /run, then execs sshd.
set -eu
M="$1"
hostname "$2"
mount -t proc -o nosuid,nodev,noexec proc "$M/proc"
mount --bind "$M/proc/sys" "$M/proc/sys"
mount --bind "$M/proc/sys/net" "$M/proc/sys/net"
mount -o remount,bind,ro "$M/proc/sys"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$M/sys"
mount -t tmpfs -o mode=755,nosuid,size=4m tmpfs "$M/dev"
for n in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
  set -- $n
  mknod -m 666 "$M/dev/$1" c "$2" "$3"
done
ln -s /proc/self/fd "$M/dev/fd"
ln -s /proc/self/fd/0 "$M/dev/stdin"
ln -s /proc/self/fd/1 "$M/dev/stdout"
ln -s /proc/self/fd/2 "$M/dev/stderr"
mkdir -p "$M/dev/pts" "$M/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$M/dev/pts"
ln -s pts/ptmx "$M/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$M/dev/shm"
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$M/run"
mkdir -p "$M/run/sshd" "$M/run/lock"
chmod 755 "$M/run/sshd"
exec chroot "$M" /usr/sbin/sshd -D -e
`;

export function writeLightInit(labDir: string): string {
  const file = join(labDir, 'light-init.sh');
  writeFileSync(file, LIGHT_INIT_SCRIPT, { mode: 0o755 });
  return file;
}

/** Host-side veth name: <lab>-<host> (lab <= 10 chars, host <= 4: fits IFNAMSIZ 15). */
export function lightLinkName(lab: string, host: string): string {
  return `${lab}-${host}`;
}

export async function startLightHost(state: LabState, host: LabHost, initScript: string): Promise<void> {
  recordResource(state, { kind: 'netns', name: host.netns });
  await runChecked(['ip', 'netns', 'add', host.netns]);
  const link = lightLinkName(state.name, host.name);
  host.link = link;
  recordResource(state, { kind: 'link', name: link });
  await runChecked(['ip', 'link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns]);
  await runChecked(['ip', 'link', 'set', link, 'master', state.bridge, 'up']);
  const ns = ['ip', '-n', host.netns];
  await runChecked([...ns, 'addr', 'add', `${host.ip}/${state.prefixLen}`, 'dev', 'eth0']);
  await runChecked([...ns, 'link', 'set', 'eth0', 'up']);
  await runChecked([...ns, 'link', 'set', 'lo', 'up']);

  const argv = [
    'ip', 'netns', 'exec', host.netns,
    'unshare', '--mount', '--uts', '--ipc', '--pid', '--fork', '--kill-child', '--mount-proc=/proc',
    'sh', initScript, host.merged, host.name,
  ];
  const log = openSync(join(state.dir, `${host.name}.log`), 'a');
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) {
    throw new K3playError({ context: `lab host ${host.name}`, message: 'could not start the light host init' }, ExitCode.internal);
  }
  recordResource(state, { kind: 'pid', pid: child.pid, startTime: procIdentity(child.pid)?.startTime ?? '', cmdline: argv, host: host.name, role: 'light-init' });
}
