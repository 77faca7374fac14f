// Debian's Chromium as every tool here launches it (web-test-runner, the demo screenshot, the
// designer benchmark): headless as root on a machine with no network but loopback.
// TOOLCHAIN.md pitfall 6: without the networking flags it keeps trying to reach the outside.

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
