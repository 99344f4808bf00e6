import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The alert rules (deploy/prometheus/kcloud-monitor.rules.yaml, the chart's PrometheusRule rendered with defaults)
 * checked and unit-tested by Debian's promtool against the input series in kcloud-monitor.rules.test.yaml.
 */
const run = promisify(execFile);
const DIR = join(__dirname, '..', 'deploy', 'prometheus');
const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';

async function promtool(args: string[], cwd: string): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd });
    return { ok: true, out: stdout + stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('alert rules (promtool)', () => {
  it('are valid rules: promtool check rules', async () => {
    const r = await promtool(['check', 'rules', 'kcloud-monitor.rules.yaml'], DIR);
    expect(r.out).toMatch(/SUCCESS: 7 rules found/);
    expect(r.ok).toBe(true);
  });

  it('fire and stay silent as the input series say: promtool test rules', async () => {
    const r = await promtool(['test', 'rules', 'kcloud-monitor.rules.test.yaml'], DIR);
    expect(r.out).toMatch(/SUCCESS/);
    expect(r.ok).toBe(true);
  });

  it('the tests catch a rule on a metric name the API does not export', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kcloud-rules-'));
    try {
      copyFileSync(join(DIR, 'kcloud-monitor.rules.test.yaml'), join(dir, 'kcloud-monitor.rules.test.yaml'));
      const rules = readFileSync(join(DIR, 'kcloud-monitor.rules.yaml'), 'utf8');
      writeFileSync(
        join(dir, 'kcloud-monitor.rules.yaml'),
        rules.replace('kcloud_upstream_up', 'kcloud_upstream_available'),
      );
      const r = await promtool(['test', 'rules', 'kcloud-monitor.rules.test.yaml'], dir);
      expect(r.ok).toBe(false);
      expect(r.out).toMatch(/KcloudClusterUnavailable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
