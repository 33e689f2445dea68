import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Servers that a test spawned outlive it when Stryker kills the test process at a timeout: they
 * are re-parented to init and keep their ports, memory and CPU until the machine is rebooted
 * (hundreds after one whole run). Linux only (/proc); elsewhere it finds nothing.
 */
export interface Proc { pid: number; ppid: number; cmdline: string; cwd: string }

export function processes(): Proc[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const found: Proc[] = [];
  for (const pid of pids) {
    try {
      // The command name may hold spaces and parentheses: the fields after its closing one are fixed.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      found.push({ pid: Number(pid), ppid, cmdline, cwd: readlinkSync(`/proc/${pid}/cwd`) });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Processes that run from the sandbox: all of them (`orphansOnly` false), or those whose parent died. */
export function strays(all: Proc[], sandbox: string, orphansOnly: boolean, self = process.pid): Proc[] {
  const inside = (p: Proc): boolean => p.cwd === sandbox || p.cwd.startsWith(`${sandbox}/`) || p.cmdline.includes(`${sandbox}/`);
  return all.filter((p) => p.pid !== self && inside(p) && (!orphansOnly || p.ppid === 1));
}

export function reap(sandbox: string, orphansOnly: boolean): number {
  const victims = strays(processes(), sandbox, orphansOnly);
  for (const p of victims) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return victims.length;
}
