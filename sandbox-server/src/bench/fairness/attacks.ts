/**
 * What one hostile (or careless) learner runs in their terminal while the rest of the class
 * works: each keeps going until their session is reset. Plain shell, as typed at a prompt.
 */
export interface Attack {
  name: string;
  /** Typed at the attacker's prompt, Enter included. */
  command: string;
}

export const ATTACKS: readonly Attack[] = [
  // The classic: every process forks two more until the pids limit stops it, and then keeps trying.
  { name: 'fork bomb', command: ':(){ :|:& };:\r' },
  // tail keeps all of a line in memory, and /dev/zero has no line ends: up to the memory limit
  // (the OOM killer), again and again.
  { name: 'memory hog', command: 'while :; do head -c 8G /dev/zero | tail; done\r' },
  // The sandbox's disk filled to its quota, emptied, filled again: steady writes to the host.
  {
    name: 'disk fill',
    command:
      'while :; do dd if=/dev/zero of=/root/fill bs=1M 2>/dev/null; rm -f /root/fill; done\r',
  },
  // As much output as the terminal takes, read and acked by the attacker's client.
  { name: 'output flood', command: 'yes "$(printf %0200d 0)"\r' },
  // A busy loop on more cores than the host has.
  {
    name: 'CPU burner',
    command: 'for i in 1 2 3 4 5 6 7 8; do (while :; do :; done) & done; wait\r',
  },
];
