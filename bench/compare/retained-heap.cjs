'use strict';
// Preloaded (NODE_OPTIONS=--require) into runbook's processes by the bench's
// retained-heap run (curves.mjs): after a full collection, the JS heap a
// process still holds. The supervisor says it as it exits; an executor after
// each doc (it is killed, not ended), so the last line per process counts.
// Peak RSS counts garbage V8 has not collected yet; this counts what stays.
const { appendFileSync } = require('node:fs');
const { setFlagsFromString } = require('node:v8');
const { runInNewContext } = require('node:vm');

const log = process.env.RUNBOOK_BENCH_HEAP_LOG;
if (log) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const note = (role) => {
    gc();
    appendFileSync(log, `${role} ${process.pid} ${process.memoryUsage().heapUsed}\n`);
  };
  if (process.argv[1]?.endsWith('executor.cjs')) {
    const send = process.send;
    const isDone = (message) => message?.type === 'done' || (message?.type === 'batch' && message.messages.some((each) => each?.type === 'done'));
    process.send = function (message, ...rest) {
      if (isDone(message)) note('executor');
      return send.call(this, message, ...rest);
    };
  } else {
    process.on('exit', () => note('supervisor'));
  }
}
