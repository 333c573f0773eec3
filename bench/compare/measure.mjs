// Runs one command and measures its wall time, CPU time and peak memory.
//
// Peak RSS is the largest sum, over the command's whole process tree, of each
// live process's VmHWM (its own peak resident set), read from /proc every
// 10 ms. A tool that forks workers or a service process is charged for all of
// them at once; a process that lives less than one poll can be missed. Summing
// each process's own peak never misses a spike between two polls, at the price
// of adding peaks that may not have been simultaneous: an upper bound.
// Summed RSS also counts pages the processes share (Node's own binary, ~34 MiB
// of each) once per process; the largest sampled sum of their PSS (each shared
// page split between its sharers) is kept beside it: what the tree really holds.
//
// CPU time is the larger of two counts. The processes this command waited for
// are counted exactly by the kernel, but a descendant nobody waits for is not
// (runbook's supervisor exits without waiting for its executors' exit);
// so the tree's processes are also read at every poll, each at its last
// reading, which misses at most one poll of each process.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

function readChildren(pid) {
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return tasks ? tasks.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

function peakOf(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

// The process's proportional set size now (bytes), from smaps_rollup (Linux 4.14+); 0 when unreadable.
function pssOf(pid) {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

// User + system CPU in ms from a /proc/<pid>/stat, in clock ticks of 10 ms:
// the process's own (utime + stime), or that of the children it waited for
// (cutime + cstime).
function cpuOf(pid, which) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const at = which === 'own' ? 11 : 13;
    return (Number(fields[at]) + Number(fields[at + 1])) * 10;
  } catch {
    return NaN;
  }
}

function treeOf(root) {
  const pids = [root];
  for (let i = 0; i < pids.length && pids.length < 500; i++) pids.push(...readChildren(pids[i]));
  return pids;
}

/**
 * Runs `command args` and resolves with { wallMs, cpuMs, peakRss (bytes), peakPss (bytes), rootPeakRss
 * (the command's own process, bytes), processes (how many were seen in its tree), code,
 * stdout, stderr }. Output is kept (for failure reports) up to 64 kB.
 *
 * The polls take CPU the command could have used: `pollMs` spaces them, and `pss: false`
 * leaves out PSS (peakPss 0), the costly read (smaps_rollup walks every mapping). Every
 * 10 ms with PSS slowed 200 ten-block docs of runbook on 2 cores by 17-24%; every 50 ms
 * without it, by nothing measurable. A VmHWM is a peak already: a longer interval loses
 * only what a process gains in its last interval before it exits.
 */
export function measure(command, args, { cwd, env, pollMs = 10, pss: withPss = true } = {}) {
  return new Promise((resolve, reject) => {
    const cpuBefore = cpuOf('self', 'children');
    const started = performance.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout = (stdout + chunk).slice(-65536)));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-65536)));
    const perPid = new Map();
    const cpuPerPid = new Map();
    let peakRss = 0;
    let peakPss = 0;
    const poll = () => {
      let sum = 0;
      let pss = 0;
      for (const pid of treeOf(child.pid)) {
        if (withPss) pss += pssOf(pid);
        const peak = Math.max(perPid.get(pid) ?? 0, peakOf(pid));
        if (peak > 0) perPid.set(pid, peak);
        sum += peak;
        const cpu = cpuOf(pid, 'own');
        if (cpu >= (cpuPerPid.get(pid) ?? 0)) cpuPerPid.set(pid, cpu);
      }
      peakRss = Math.max(peakRss, sum);
      peakPss = Math.max(peakPss, pss);
    };
    const timer = setInterval(poll, pollMs);
    child.once('spawn', poll);
    child.once('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearInterval(timer);
      resolve({
        wallMs: performance.now() - started,
        cpuMs: Math.max(cpuOf('self', 'children') - cpuBefore, [...cpuPerPid.values()].reduce((a, b) => a + b, 0)),
        peakRss,
        peakPss,
        rootPeakRss: perPid.get(child.pid) ?? 0,
        processes: perPid.size,
        code: code ?? signal,
        stdout,
        stderr,
      });
    });
  });
}

/** Runs several commands one after another; wall and CPU times add up, peak RSS is the largest. */
export async function measureEach(calls) {
  let wallMs = 0;
  let cpuMs = 0;
  let peakRss = 0;
  let peakPss = 0;
  for (const call of calls) {
    const result = await measure(call.command, call.args, call.options);
    wallMs += result.wallMs;
    cpuMs += result.cpuMs;
    peakRss = Math.max(peakRss, result.peakRss);
    peakPss = Math.max(peakPss, result.peakPss);
    if (result.code !== 0) return { ...result, wallMs, cpuMs, peakRss, peakPss };
  }
  return { wallMs, cpuMs, peakRss, peakPss, code: 0, stdout: '', stderr: '' };
}
