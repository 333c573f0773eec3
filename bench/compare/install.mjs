// Installs the tools we compare against into bench/.peers/ (ignored by git),
// never into the project's own dependencies. Each tool that fails to install or
// to start is reported and left out of the comparison.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const peerPackages = ['zx', 'markdown-doctest', 'deno'];

function entryPoints(dir) {
  const modules = join(dir, 'node_modules');
  return {
    zx: join(modules, 'zx', 'build', 'cli.js'),
    'markdown-doctest': join(modules, 'markdown-doctest', 'bin', 'cmd.js'),
    // The npm package puts the native binary itself in .bin (its postinstall may not have run).
    deno: join(modules, '.bin', 'deno'),
  };
}

function versionOf(tool, path) {
  const [command, args] = tool === 'deno' ? [path, ['--version']] : [process.execPath, [path, '--version']];
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) return { error: (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n')[0] };
  return { version: run.stdout.trim().split('\n')[0] };
}

/**
 * Makes sure every peer is installed in `dir`. Returns, per tool, its entry
 * point and version, or the reason it cannot take part.
 */
export function installPeers(dir, { log = console.log } = {}) {
  const paths = entryPoints(dir);
  const missing = peerPackages.filter((name) => !existsSync(paths[name]));
  if (missing.length) {
    mkdirSync(dir, { recursive: true });
    log(`installing ${missing.join(', ')} into ${dir} …`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const install = spawnSync(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', ...missing], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
    if (install.status !== 0) log(`npm install failed (exit ${install.status}): ${(install.stderr || install.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
  const peers = {};
  for (const name of peerPackages) {
    if (!existsSync(paths[name])) {
      peers[name] = { error: `not installed (npm install --prefix ${dir} ${name} failed: see above)` };
      continue;
    }
    peers[name] = { path: paths[name], ...versionOf(name, paths[name]) };
  }
  return peers;
}
