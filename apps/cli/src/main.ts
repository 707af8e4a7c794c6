#!/usr/bin/env node
import { outputExitCode, watchProcessOutput } from './cli-io.js';
import { runCli } from './program.js';

// The `coachwire` executable (dist/main.js); exitCode rather than exit() lets pending output flush.
// Output errors (a closed pipe, a full disk) are handled in one place instead of crashing with a stack trace.
watchProcessOutput();
const status = await runCli(process.argv.slice(2));
process.exitCode = status !== 0 ? status : outputExitCode();
