/** Environment variables through which global setup hands its server and bundles to the tests. */
export const HARNESS_ENV = {
  address: 'ESB_TEST_TEMPORAL_ADDRESS',
  serverPid: 'ESB_TEST_TEMPORAL_PID',
  bundleDir: 'ESB_TEST_BUNDLE_DIR',
} as const;
