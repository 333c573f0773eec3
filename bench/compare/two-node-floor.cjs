#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS BENCH_PARKED_CA_CERTS=${NODE_EXTRA_CA_CERTS} node --
'use strict';
// The least any design with a supervisor and an executor process can cost: a
// Node process started as bin/runbook.js is (without NODE_EXTRA_CA_CERTS, which
// it gives back to its child) forks a second over an IPC channel with V8's
// serializer, as runbook forks an executor; the child says it is ready and is
// killed, and the parent ends with the channel. No runbook code runs. The
// bench prints its wall time beside the one-block doc's and its peak RSS
// beside the corpus's: what is left above it is runbook's own.
const { fork } = require('node:child_process');

if (process.argv[2] === 'child') {
  process.send('ready');
} else {
  const parked = process.env.BENCH_PARKED_CA_CERTS;
  delete process.env.BENCH_PARKED_CA_CERTS;
  if (parked) process.env.NODE_EXTRA_CA_CERTS = parked;
  const child = fork(__filename, ['child'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced', detached: true });
  // Its output read, as runbook reads an executor's (and shown: a broken floor says why).
  child.stdout.pipe(process.stdout);
  child.stderr.pipe(process.stderr);
  child.once('message', () => child.kill('SIGKILL'));
}
