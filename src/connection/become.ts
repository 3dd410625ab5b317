/**
 * Become (privilege escalation) for remote channels: builds the command line a channel is
 * opened with, and recognises the password prompt. Every channel k3play opens runs
 *
 *     exec [sudo -H -S -p PROMPT -u USER --] /bin/sh -c 'echo READY $$ PGID; INNER'
 *
 * so the caller can tell "sudo wants a password" (PROMPT on stderr: write the password once,
 * followed by a newline, on stdin) from "the shell is running" (READY on stdout) before it
 * writes anything else. The password therefore only ever travels on the channel's stdin: never
 * in argv, never in the environment, never echoed (sudo -S does not echo). `su` is supported the
 * same way, best effort (it needs su to accept a password without a terminal). It builds strings
 * only; it never opens channels.
 */
import { shellQuote } from '../module-api/shell-quote.js';

export type BecomeMethod = 'sudo' | 'su';

export interface BecomeSpec {
  readonly method: BecomeMethod;
  /** Target user; default root. */
  readonly user?: string;
}

export interface ChannelHandshake {
  /** The string given to the ssh exec request. */
  readonly command: string;
  /** Printed on stdout by the target shell once it runs: `READY <pid> <pgid>`. */
  readonly ready: string;
  /** The sudo prompt to wait for on stderr (or a pattern for su). */
  readonly prompt?: string | RegExp;
}

/**
 * `inner` runs after the ready line, in the same process (use `exec ...`). `token` is a random
 * string that makes the ready line and prompt unguessable for the command's own output.
 */
export function channelHandshake(inner: string, token: string, become?: BecomeSpec): ChannelHandshake {
  const ready = `k3play-ready-${token}`;
  // The process group is field 5 of /proc/$$/stat (field 2 is "(sh)", no spaces), read with the
  // shell's builtin `read`: no fork of `cut` on every shell start. Without /proc: the pid.
  const pgid = `{ read -r k3x k3x k3x k3x k3pg k3x </proc/$$/stat; } 2>/dev/null || k3pg=$$`;
  const script = `${pgid}; echo ${ready} $$ $k3pg; ${inner}`;
  const sh = `/bin/sh -c ${shellQuote(script)}`;
  if (!become) return { command: `exec ${sh}`, ready };
  const user = become.user ?? 'root';
  if (become.method === 'sudo') {
    const prompt = `[k3play-sudo-${token}]`;
    return {
      command: `exec sudo -H -S -p ${shellQuote(prompt)} -u ${shellQuote(user)} -- ${sh}`,
      ready,
      prompt,
    };
  }
  // su reads the password from its stdin when it has no terminal (util-linux su with PAM);
  // its prompt is the PAM one, localised: match the usual English form.
  return {
    command: `exec su -s /bin/sh ${shellQuote(user)} -c ${shellQuote(script)}`,
    ready,
    prompt: /(^|\n)[^\n]*[Pp]assword: ?$/,
  };
}

/** Is a password prompt the last thing on stderr? */
export function sawPrompt(stderr: string, prompt: string | RegExp | undefined): boolean {
  if (prompt === undefined) return false;
  if (typeof prompt === 'string') return stderr.endsWith(prompt);
  return prompt.test(stderr);
}

/** Turns sudo's stderr before READY into a message for the user (password never included). */
export function explainBecomeFailure(stderr: string, method: BecomeMethod, user: string): string {
  const s = stderr.trim();
  if (/command not found|not found/.test(s) && /sudo|su/.test(s)) return `${method} is not installed on the host`;
  if (/not in the sudoers|not allowed to execute/.test(s)) return `${method} refused: the login user may not run commands as ${user}: ${s}`;
  if (/a terminal is required|must have a tty|requiretty/.test(s)) {
    return `${method} needs a terminal (requiretty): remove "Defaults requiretty" for the login user`;
  }
  return `${method} to ${user} failed${s ? `: ${s}` : ''}`;
}
