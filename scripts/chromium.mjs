// Debian's Chromium as every tool here launches it (web-test-runner, the demo screenshot, the
// designer benchmark): headless as root on a machine with no network but loopback.
// TOOLCHAIN.md pitfall 6: without the networking flags it keeps trying to reach the outside.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch flags (add a fresh `--user-data-dir` where the launcher does not make one). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What `npm test` (and `.ci/run`) install on Debian when Chromium or its fonts are missing. */
export const installCommand =
  'apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation';

/**
 * Makes sure Chromium and the Liberation fonts the screenshot tests pin are there. Missing and
 * running as root on Debian's default path: installs them (TOOLCHAIN.md pitfall 7, ~20 s).
 * Otherwise answers the exact command to run, without waiting for a test to fail.
 * @returns {{ ok: true } | { ok: false, message: string }}
 */
export function ensureChromium() {
  const fonts = () => {
    const res = spawnSync('fc-list', [':family=Liberation Sans'], { encoding: 'utf8' });
    return res.status === 0 && res.stdout.trim() !== '';
  };
  const missing = [!existsSync(chromiumPath) && chromiumPath, !fonts() && 'Liberation fonts']
    .filter(Boolean)
    .join(' and ');
  if (missing === '') return { ok: true };
  if (chromiumPath !== '/usr/bin/chromium') {
    return {
      ok: false,
      message: `${missing} missing: CHROMIUM_PATH is ${chromiumPath}. Install Chromium there, or unset CHROMIUM_PATH and run:\n  sudo sh -c '${installCommand}'`,
    };
  }
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    return {
      ok: false,
      message: `${missing} missing; the browser tests need Debian's Chromium. Run:\n  sudo sh -c '${installCommand}'\n(or set CHROMIUM_PATH to another Chromium).`,
    };
  }
  console.log(`${missing} missing: running ${installCommand}`);
  const res = spawnSync('sh', ['-c', installCommand], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (res.status !== 0 || !existsSync(chromiumPath)) {
    return { ok: false, message: `${installCommand} failed (exit ${res.status}).` };
  }
  return { ok: true };
}
