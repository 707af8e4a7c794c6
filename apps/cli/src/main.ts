#!/usr/bin/env node
import { runCli } from './program.js';

// The `coachwire` executable (dist/main.js); exitCode rather than exit() lets pending output flush.
process.exitCode = await runCli(process.argv.slice(2));
