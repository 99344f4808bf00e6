import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { renderChart, TemplateError, type RenderedChart, type Values } from './harness/helm-template';
import { only } from './harness/indexed';

/**
 * The Helm chart, rendered as `helm template` would (no helm binary here: see harness/helm-template.ts), each object
 * validated against the Kubernetes / Prometheus Operator schemas (kubernetes-models), the values against
 * values.schema.json as Helm does.
 */
const ROOT = join(__dirname, '..');
const CHART = join(ROOT, 'charts', 'kcloud-monitor');
const HA = parseYaml(readFileSync(join(CHART, 'ci', 'ha-values.yaml'), 'utf8')) as Values;
const MINIMAL: Values = { prometheus: { url: 'http://prometheus:9090' }, existingSecret: 'kcloud-monitor' };
/** Variables that carry credentials or URLs with credentials: only ever from a Secret. */
const SECRET_ENV = [
  'API_KEYS',
  'API_AUTH_USERNAME',
  'API_AUTH_PASSWORD',
  'METRICS_TOKEN',
  'PROMETHEUS_CLUSTERS',
  'ANALYZER_ALERT_WEBHOOK_URL',
  'ANALYZER_CONTROL_API_URL',
  'ANALYZER_AI_API_KEY',
];

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The models' constructors take their own typed shapes; the rendered YAML is checked by validate() instead.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MODELS: Record<string, new (o: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validateValues = ajv.compile(
  JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8')) as object,
);

function render(...overrides: Values[]): RenderedChart {
  const r = renderChart(CHART, overrides, (values) => {
    if (!validateValues(values))
      throw new Error(`values.schema.json: ${ajv.errorsText(validateValues.errors)}`);
  });
  for (const o of r.objects) {
    const Model = MODELS[`${String(o.apiVersion)}/${String(o.kind)}`];
    if (!Model) throw new Error(`no schema for ${String(o.apiVersion)} ${String(o.kind)}`);
    new Model(o).validate();
  }
  return r;
}
const kind = (r: RenderedChart, k: string): Obj[] => r.objects.filter((o) => o.kind === k) as Obj[];
const one = (r: RenderedChart, k: string): Obj => only(kind(r, k), k);
const container = (r: RenderedChart): Obj => one(r, 'Deployment').spec.template.spec.containers[0] as Obj;
const env = (r: RenderedChart): Map<string, Obj> =>
  new Map((container(r).env as Obj[]).map((e) => [e.name as string, e]));

describe('Helm chart kcloud-monitor', () => {
  it('refuses a plain install without a data source, saying what to set', () => {
    expect(() => renderChart(CHART)).toThrow(/needs a data source: set prometheus.url.*dataSource=simulated/);
  });

  it('refuses a production install without credentials, saying what to set', () => {
    expect(() => renderChart(CHART, [{ prometheus: { url: 'http://p:9090' } }])).toThrow(
      /needs credentials.*existingSecret.*api-keys.json/,
    );
    // auth.mode=off is an explicit choice: it renders, and NOTES warns.
    const open = render({ prometheus: { url: 'http://p:9090' }, auth: { mode: 'off' } });
    expect(open.notes).toMatch(/WARNING: auth.mode=off/);
  });

  it('refuses more than one replica, or autoscaling, without Redis', () => {
    expect(() => renderChart(CHART, [MINIMAL, { replicaCount: 3 }])).toThrow(/needs Redis/);
    expect(() => renderChart(CHART, [MINIMAL, { autoscaling: { enabled: true } }])).toThrow(/needs Redis/);
    expect(() =>
      renderChart(CHART, [MINIMAL, { replicaCount: 3, redis: { url: 'redis://r:6379' } }]),
    ).not.toThrow();
  });

  it('refuses cluster credentials in values and reads the cluster list from the Secret instead', () => {
    const withToken = {
      prometheus: {
        clusters: [{ name: 'a', url: 'http://a:9090', auth: { type: 'bearer', token: 's3cret' } }],
      },
    };
    expect(() => renderChart(CHART, [{ existingSecret: 'kc' }, withToken])).toThrow(
      /credentials are never values/,
    );
    const r = render({ existingSecret: 'kc', prometheus: { clustersFromSecret: true } });
    expect(env(r).get('PROMETHEUS_CLUSTERS')).toEqual({
      name: 'PROMETHEUS_CLUSTERS',
      valueFrom: { secretKeyRef: { name: 'kc', key: 'PROMETHEUS_CLUSTERS' } },
    });
  });

  it('serves the simulated fleet only when asked, never mixed with a Prometheus', () => {
    const r = render({ dataSource: 'simulated', existingSecret: 'kc' });
    expect(env(r).get('DATA_SOURCE')?.value).toBe('simulated');
    expect(r.notes).toMatch(/demo fleet/);
    expect(() => renderChart(CHART, [MINIMAL, { dataSource: 'simulated' }])).toThrow(/never mixed/);
  });

  describe('one replica (prometheus.url + existingSecret)', () => {
    const r = render(MINIMAL);

    it('renders a Deployment, Service and ServiceAccount valid against the Kubernetes schemas', () => {
      expect(r.objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Service', 'ServiceAccount']);
      expect(one(r, 'Deployment').spec.replicas).toBe(1);
    });

    it('runs under Pod Security "restricted"', () => {
      const pod = one(r, 'Deployment').spec.template.spec as Obj;
      const c = container(r);
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(typeof pod.securityContext.runAsUser).toBe('number');
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
    });

    it('takes every credential from the Secret and mounts the API keys as API_KEYS_FILE', () => {
      const e = env(r);
      for (const name of SECRET_ENV) {
        const v = e.get(name);
        if (v) expect(v).not.toHaveProperty('value');
      }
      expect(e.get('API_AUTH_PASSWORD')?.valueFrom.secretKeyRef).toEqual({
        name: 'kcloud-monitor',
        key: 'API_AUTH_PASSWORD',
        optional: true,
      });
      expect(e.get('API_KEYS_FILE')?.value).toBe('/etc/kcloud/api-keys/api-keys.json');
      const vol = (one(r, 'Deployment').spec.template.spec.volumes as Obj[]).find(
        (v) => v.name === 'api-keys',
      );
      expect(vol?.secret).toMatchObject({
        secretName: 'kcloud-monitor',
        items: [{ key: 'api-keys.json', path: 'api-keys.json' }],
      });
      expect(container(r).volumeMounts).toContainEqual({
        name: 'api-keys',
        mountPath: '/etc/kcloud/api-keys',
        readOnly: true,
      });
    });

    it('passes auth.trustProxy as TRUST_PROXY and refuses true/false, which would let clients choose their address', () => {
      expect(env(r).has('TRUST_PROXY')).toBe(false);
      expect(env(render(MINIMAL, { auth: { trustProxy: 'uniquelocal' } })).get('TRUST_PROXY')?.value).toBe(
        'uniquelocal',
      );
      expect(() => render(MINIMAL, { auth: { trustProxy: 'True' } })).toThrow(/values.schema.json/);
    });

    it('refuses a ServiceMonitor that could not read /metrics (no token sent, not public), and passes auth.metricsPublic', () => {
      expect(() => render(MINIMAL, { serviceMonitor: { enabled: true } })).toThrow(
        /serviceMonitor: \/metrics needs a credential in production.*sendMetricsToken=true.*auth.metricsPublic=true/,
      );
      const tokenSent = render(MINIMAL, { serviceMonitor: { enabled: true, sendMetricsToken: true } });
      expect(kind(tokenSent, 'ServiceMonitor')).toHaveLength(1);
      expect(env(tokenSent).has('METRICS_PUBLIC')).toBe(false);
      const open = render(MINIMAL, { serviceMonitor: { enabled: true }, auth: { metricsPublic: true } });
      expect(env(open).get('METRICS_PUBLIC')?.value).toBe('true');
      expect(kind(open, 'ServiceMonitor')).toHaveLength(1);
    });

    it('sizes the V8 heap from the memory limit', () => {
      expect(env(r).get('NODE_OPTIONS')?.value).toBe('--max-old-space-size=768');
      expect(
        env(render(MINIMAL, { resources: { limits: { memory: '512Mi' } } })).get('NODE_OPTIONS')?.value,
      ).toBe('--max-old-space-size=384');
      expect(env(render(MINIMAL, { resources: { limits: null } })).has('NODE_OPTIONS')).toBe(false);
    });

    it('probes /health/startup, /health/live and /health/ready (readiness in 1 s: it answers from the prober cache) and drains for SHUTDOWN_GRACE_SECONDS within the termination grace', () => {
      const c = container(r);
      expect(c.startupProbe.httpGet.path).toBe('/health/startup');
      expect(c.livenessProbe.httpGet.path).toBe('/health/live');
      expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(c.readinessProbe.timeoutSeconds).toBe(1);
      expect(c.lifecycle.preStop.exec.command).toEqual(['sleep', '3']);
      expect(env(r).get('SHUTDOWN_GRACE_SECONDS')?.value).toBe('25');
      expect(one(r, 'Deployment').spec.template.spec.terminationGracePeriodSeconds).toBe(30);
      expect(() => renderChart(CHART, [MINIMAL, { shutdown: { graceSeconds: 27 } }])).toThrow(
        /terminationGracePeriodSeconds must exceed/,
      );
    });

    it('selects its pods from the Service', () => {
      const labels = one(r, 'Deployment').spec.template.metadata.labels as Obj;
      expect(labels).toMatchObject(one(r, 'Service').spec.selector as Obj);
    });
  });

  describe('HA (ci/ha-values.yaml: 3 replicas, Redis, global Prometheus, HPA, PDB, NetworkPolicy)', () => {
    const r = render(HA);

    it('renders every object valid against the Kubernetes and Prometheus Operator schemas', () => {
      expect(r.objects.map((o) => o.kind).sort()).toEqual([
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'PrometheusRule',
        'Service',
        'ServiceAccount',
        'ServiceMonitor',
      ]);
    });

    it('leaves the replica count to the HPA and reads Redis and the cluster label as configured', () => {
      expect(one(r, 'Deployment').spec).not.toHaveProperty('replicas');
      expect(one(r, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 6 });
      const e = env(r);
      expect(e.get('ANALYZER_AI_API_KEY')?.valueFrom.secretKeyRef).toEqual({
        name: 'kcloud-monitor',
        key: 'ANALYZER_AI_API_KEY',
        optional: true,
      });
      expect(e.get('REDIS_URL')).toEqual({
        name: 'REDIS_URL',
        valueFrom: { secretKeyRef: { name: 'kcloud-monitor', key: 'REDIS_URL' } },
      });
      expect(e.get('CLUSTER_LABEL')?.value).toBe('cluster');
      expect(e.get('PROMETHEUS_URL')?.value).toBe('http://thanos-query.monitoring.svc:9090');
      expect(e.get('NODE_OPTIONS')?.value).toBe('--max-old-space-size=1536');
      for (const name of [...SECRET_ENV, 'REDIS_URL']) expect(e.get(name) ?? {}).not.toHaveProperty('value');
    });

    it('has a ServiceMonitor kube-prometheus-stack selects, sending METRICS_TOKEN from the Secret', () => {
      const sm = one(r, 'ServiceMonitor');
      expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
      expect(sm.spec.selector.matchLabels).toEqual(one(r, 'Service').spec.selector);
      expect(one(r, 'Service').metadata.labels).toMatchObject(sm.spec.selector.matchLabels as Obj);
      expect(sm.spec.endpoints[0]).toMatchObject({
        port: 'http',
        path: '/metrics',
        interval: '30s',
        authorization: { type: 'Bearer', credentials: { name: 'kcloud-monitor', key: 'METRICS_TOKEN' } },
        relabelings: [{ targetLabel: 'job', replacement: 'kcloud-monitor', action: 'replace' }],
      });
    });

    it('keeps a PDB and a NetworkPolicy on the API pods', () => {
      const selector = one(r, 'Deployment').spec.selector.matchLabels as Obj;
      expect(one(r, 'PodDisruptionBudget').spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: selector },
      });
      const np = one(r, 'NetworkPolicy');
      expect(np.spec.podSelector.matchLabels).toEqual(selector);
      expect(np.spec.ingress[0].from).toContainEqual({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      });
    });

    it('ships the committed dashboards in a ConfigMap with the Grafana sidecar label', () => {
      const cm = one(r, 'ConfigMap');
      expect(cm.metadata.labels.grafana_dashboard).toBe('1');
      const dir = join(ROOT, 'deploy', 'grafana', 'dashboards');
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort();
      expect(files.length).toBeGreaterThan(0);
      expect(Object.keys(cm.data as Obj).sort()).toEqual(files);
      for (const f of files)
        expect(JSON.parse(cm.data[f] as string)).toEqual(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    });

    it('leaves the analyzer alerts out when scheduled analysis is off (they would fire forever)', () => {
      const groups = (spec: Obj): string[] => (spec.groups as Obj[]).map((g) => g.name as string);
      expect(groups(one(r, 'PrometheusRule').spec as Obj)).toContain('kcloud-monitor.analyzer');
      const off = render(HA, { analyzer: { enabled: false } });
      expect(groups(one(off, 'PrometheusRule').spec as Obj)).toEqual([
        'kcloud-monitor.gpus',
        'kcloud-monitor.upstream',
        'kcloud-monitor.api',
      ]);
    });

    it('ships the alert rules that deploy/prometheus/kcloud-monitor.rules.yaml holds', () => {
      const file = parseYaml(
        readFileSync(join(ROOT, 'deploy', 'prometheus', 'kcloud-monitor.rules.yaml'), 'utf8'),
      ) as Obj;
      expect(one(r, 'PrometheusRule').spec).toEqual(file);
    });
  });

  describe('values.schema.json', () => {
    it.each<[string, Values]>([
      ['a secret variable in env', { env: { API_AUTH_PASSWORD: 'x' } }],
      ['the AI endpoint key in env', { env: { ANALYZER_AI_API_KEY: 'sk-x' } }],
      ['a memory limit the chart cannot size the heap from', { resources: { limits: { memory: '1G' } } }],
      ['a data source of another name', { dataSource: 'thanos' }],
      ['an unknown top-level value', { replicas: 3 }],
      ['a non-numeric user', { podSecurityContext: { runAsNonRoot: true, runAsUser: 'node' } }],
    ])('refuses %s', (_, bad) => {
      expect(() => render(MINIMAL, bad)).toThrow(/values.schema.json/);
    });
  });

  it('the renderer follows Go template semantics: else if, sorted map range, $, with/else, short-circuit and/or, trim', () => {
    expect(renderChart(join(__dirname, 'fixtures', 'semantics-chart')).notes).toBe(
      [
        'kind: two',
        'count: 2',
        'env: [ALPHA=a,ZED=z,]',
        'with: unset',
        'name: "fallback"',
        'root: semantics-x semantics-y ',
        'short: |second',
        'include: HELLO YOU',
        '',
      ].join('\n'),
    );
  });

  it('the renderer refuses an unknown function at parse time, as Go templates do', () => {
    expect(() => renderChart(join(__dirname, 'fixtures', 'bad-chart'))).toThrow(TemplateError);
  });
});
