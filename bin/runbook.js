#!/usr/bin/env node
'use strict';
// CommonJS (see bin/package.json): Node starts it without its ES module loader,
// and the executor is forked before anything else loads (see startExecutorEarly).
const { loadRunbook, startExecutorEarly } = require('../dist/load-bundle.cjs');

startExecutorEarly();
loadRunbook().cliMain();
