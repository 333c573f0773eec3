/** The two output streams a doc writes to. */
export type StreamName = 'stdout' | 'stderr';
