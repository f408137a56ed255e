import { defineConfig } from 'vitest/config';

// The WebKitGTK suite (scripts/e2e-webkit.sh): Vitest only runs the steps
// in order and checks them; the browser is WebKitGTK, driven over WebDriver.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.spec.ts'],
    environment: 'node',
    fileParallelism: false,
    // A loaded 2-core machine: creating the demo practice alone can take a minute.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    expect: { poll: { timeout: 15_000, interval: 200 } },
    // One step builds on the last: after a failure the rest would only fail too.
    bail: 1,
  },
});
