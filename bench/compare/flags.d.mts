export interface CurveSizes {
  /** Blocks in the one doc of each point of the per-block curve. */
  blocks: number[];
  /** Docs (of 10 blocks) in each point of the per-doc curve. */
  docs: number[];
}
export interface BenchOptions {
  rounds: number;
  curveRounds: number;
  peers: boolean;
  /** Undefined with `--curves off`. */
  curveSizes: CurveSizes | undefined;
  curveCachesOff: boolean;
  cli: string | undefined;
}
export declare const curveSchedules: { quick: CurveSizes; full: CurveSizes };
export declare function parseBenchFlags(argv: string[]): BenchOptions;
