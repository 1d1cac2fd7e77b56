#!/usr/bin/env node
// The `affectzoo` command. A committed shim, so that npm links the bin at install time in a fresh
// clone too (the build output it loads does not exist until `npm run build`).
import '../dist/bin.js';
