import buildFleetPage from './global-setup';
import { warmTranspileCache } from './harness/transpile-cache';

/** Before the e2e suites, side by side: the fleet page build, and the transpile cache the API child processes use. */
export default async function globalSetup(): Promise<void> {
  await Promise.all([buildFleetPage(), warmTranspileCache()]);
}
