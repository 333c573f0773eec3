// Node's timers take at most 2^31−1 ms; a longer delay fires at once (with a
// TimeoutOverflowWarning), so every block would "time out" immediately.

/** The longest timeout runbook accepts anywhere (flags, config, fence tokens): 2147483647 ms, about 24.8 days. */
export const maxTimeoutMs = 2 ** 31 - 1;

/** Says what the limit is, for messages about a value above it. */
export const timeoutLimitText = `at most ${maxTimeoutMs} ms (about 24.8 days), the longest timer Node allows`;
