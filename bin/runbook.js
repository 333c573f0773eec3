#!/usr/bin/env -S node --
'use strict';
// `--` ends Node's own options: Node 20 otherwise reads an --env-file meant for
// runbook itself, even after the script's name (nodejs/node#54232), and exits 9.
// CommonJS (see bin/package.json): Node starts it without its ES module loader,
// and the executor is forked before anything else loads (see startExecutorEarly).
const { loadRunbook, startExecutorEarly } = require('../dist/load-bundle.cjs');

startExecutorEarly();
loadRunbook('cli').cliMain();
