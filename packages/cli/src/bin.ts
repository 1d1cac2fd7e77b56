#!/usr/bin/env node
// The `affectzoo` command. User errors (bad files, bad configs) print one line, not a stack trace.
import { AffectzooError } from '@affectzoo/core';
import { createProgram } from './program.js';

try {
  await createProgram().parseAsync(process.argv);
} catch (e) {
  if (e instanceof AffectzooError) {
    console.error(`affectzoo: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
