#!/usr/bin/env node
import { loadRunbook } from '../dist/load-bundle.js';

loadRunbook().cliMain();
