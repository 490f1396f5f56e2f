#!/usr/bin/env node
'use strict';
// The CLI runs the TypeScript sources through tsx so that `npm install` is
// the only setup step: no build to forget, no stale dist/ after an edit.
require('tsx/cjs');
require('../src/cli/main.ts').main(process.argv).catch((err) => {
  process.stderr.write(`esb: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
