#!/usr/bin/env -S node --
// `--` ends Node's own options: Node 20 otherwise reads an --env-file meant for
// runbook itself, even after the script's name (nodejs/node#54232), and exits 9.
import { loadRunbook } from '../dist/load-bundle.js';

loadRunbook().cliMain();
