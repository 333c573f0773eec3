#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS RUNBOOK_PARKED_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS} node --
'use strict';
// `--` ends Node's own options: Node 20 otherwise reads an --env-file meant for
// runbook itself, even after the script's name (nodejs/node#54232), and exits 9.
// NODE_EXTRA_CA_CERTS is parked for this process's own start, and put back
// before anything else happens (see unparkCaCerts).
// CommonJS (see bin/package.json): Node starts it without its ES module loader,
// and the executor is forked before anything else loads (see startExecutorEarly).
const { loadRunbook, startExecutorEarly, unparkCaCerts } = require('../dist/load-bundle.cjs');

unparkCaCerts();
startExecutorEarly();
loadRunbook('cli').cliMain();
