// The command line of `npm run bench` (bench/run.mjs documents it): every flag
// parsed and checked here, so a typo stops the bench before minutes of work.
import { parseArgs } from 'node:util';

// Both schedules hold the sizes the marginal targets compare (a 10- and a
// 1000-block doc; 20 and 200 docs), so a quick run still checks them; only
// `full` reaches the sizes the linearity targets are stated for.
export const curveSchedules = {
  quick: { blocks: [10, 100, 1000], docs: [20, 100, 200] },
  full: { blocks: [10, 100, 1000, 3000, 10000], docs: [20, 200, 500, 1000, 2000] },
};

function curveSizes(name) {
  if (name === 'off') return undefined;
  if (Object.hasOwn(curveSchedules, name)) return curveSchedules[name];
  throw new Error(`--curves expects quick, full or off, got ${JSON.stringify(name)}: quick for a smoke run, full for the sizes the targets are stated for.`);
}

function positiveInteger(flag, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} expects a whole number of rounds, 1 or more, got ${JSON.stringify(text)}.`);
  return value;
}

/** `argv` (without node and the script) → the bench's options; a bad flag throws an Error saying what to pass. */
export function parseBenchFlags(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        rounds: { type: 'string', default: '7' },
        'curve-rounds': { type: 'string', default: '3' },
        peers: { type: 'boolean', default: true },
        curves: { type: 'string', default: 'full' },
        'curve-caches-off': { type: 'boolean', default: false },
        cli: { type: 'string' },
      },
      allowNegative: true,
    }));
  } catch (error) {
    throw new Error(`${error.message.replace(/\.$/, '')}. Flags: --rounds N, --curve-rounds N, --curves quick|full|off, --curve-caches-off, --no-peers, --cli path/to/runbook.js.`, { cause: error });
  }
  return {
    rounds: positiveInteger('rounds', values.rounds),
    curveRounds: positiveInteger('curve-rounds', values['curve-rounds']),
    peers: values.peers,
    curveSizes: curveSizes(values.curves),
    curveCachesOff: values['curve-caches-off'],
    cli: values.cli,
  };
}
