export interface Measurement {
  wallMs: number;
  /** User + system CPU of the command and its waited-for descendants. */
  cpuMs: number;
  /** Bytes: the largest sum of the live process tree's VmHWM. */
  peakRss: number;
  /** Bytes: the largest sampled sum of the live process tree's PSS (shared pages counted once); 0 with `pss: false`. */
  peakPss: number;
  /** Bytes: the command's own VmHWM. */
  rootPeakRss: number;
  /** How many processes the tree held over the run. */
  processes: number;
  code: number | string | null;
  stdout: string;
  stderr: string;
}
export declare function measure(
  command: string,
  args: string[],
  options?: { cwd?: string; env?: Record<string, string>; /** Between polls of /proc; default 10. */ pollMs?: number; /** Sample PSS (costly); default true. */ pss?: boolean },
): Promise<Measurement>;
