/** One point of a scaling curve: medians of wall and CPU, the largest peaks over the rounds. */
export interface CurvePoint {
  size: number;
  wallMs: number;
  cpuMs?: number;
  /** Bytes: the process tree's peak (summed VmHWM of its live processes). */
  peakRss: number;
  /** Bytes: the supervisor's own peak. */
  rootPeakRss?: number;
  processes?: number;
}
export interface Curve {
  label: string;
  unit: 'block' | 'doc';
  /** Only the sizes that ran in every round. */
  points: CurvePoint[];
  /** The sizes that failed to run, and how (exit code and the last lines of output). */
  failures?: { size: number; reason: string }[];
}
export type TargetStatus = 'MET' | 'MISSED' | 'SKIPPED';
export interface TargetResult {
  label: string;
  status: TargetStatus;
  detail: string;
}
export type PeerFigure = { ms: number; reason?: undefined } | { ms?: undefined; reason: string };
/** A peer's medians from the comparison, or why it was not measured. */
export type PeerFigures = { corpusMs: number; oneMs: number; reason?: undefined } | { reason: string };

export declare const limits: {
  marginalBlockMs: number;
  marginalDocMs: number;
  oneBlockOverNode: number;
  corpusOverZx: number;
  corpusPeakRss: number;
  linearR2: number;
  largestOverPrediction: number;
  rssPerBlock: number;
  rssPerDoc: number;
  blocksUpTo: number;
  docsUpTo: number;
};
export declare function marginalCost(curve: Curve | undefined, from: number, to: number, key?: 'wallMs' | 'cpuMs'): number | undefined;
export declare function checkMarginalBlock(blockCurve: Curve | undefined): TargetResult;
export declare function checkMarginalDoc(docCurve: Curve | undefined, cores: number): TargetResult;
export declare function checkOneBlockOverNode(oneMs: number, nodeMs: number, twoNodeMs?: number): TargetResult;
export declare function checkAgainstPeer(options: { what: string; peerName: string; oursMs: number; peer: PeerFigure; factor?: number }): TargetResult;
export declare function checkCorpusRss(peakRss: number, twoNodeRss?: number): TargetResult;
export declare function linearity(curve: Curve): { largestSize: number; wallR2: number; largestOverPrediction: number; rssPerUnit: number };
export declare function checkLinearity(curve: Curve | undefined, options: { unit: 'block' | 'doc'; upTo: number; rssPerUnit: number }): TargetResult;
export declare function issue19Targets(figures: {
  ours: { corpusMs: number; oneMs: number; corpusRss: number };
  nodeMs: number;
  /** Node forking Node (bench/compare/two-node-floor.cjs): its median wall and peak RSS, when measured. */
  twoNode?: { ms: number; rss: number };
  zx: PeerFigures;
  curves: { blocks: Curve; docs: Curve } | undefined;
  cores: number;
}): TargetResult[];
export declare function earlierPeerTargets(figures: { ours: { corpusMs: number; oneMs: number }; doctest: PeerFigures; deno: PeerFigures }): TargetResult[];
export declare function formatTarget(result: TargetResult): string;
