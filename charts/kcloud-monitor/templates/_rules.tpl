{{/*
The alert rules. deploy/prometheus/kcloud-monitor.rules.yaml is this block rendered with the default values
(`npm run rules` writes it; a test checks they agree).
*/}}
{{- define "kcloud-monitor.rules" -}}
{{- $job := include "kcloud-monitor.job" . -}}
{{- $r := .Values.prometheusRule -}}
groups:
  - name: kcloud-monitor.gpus
    rules:
      - alert: KcloudGpusIdle
        # A namespace has held GPUs the analyzer calls idle for the whole period (status is a label of the score).
        expr: count by (cluster, namespace) (gpu_utilization_score{job="{{ $job }}", status="idle", namespace!=""}) > 0
        for: {{ $r.idleGpuHours }}h
        labels: { severity: warning }
        annotations:
          summary: "Idle GPUs in {{ "{{" }} $labels.namespace {{ "}}" }} ({{ "{{" }} $labels.cluster {{ "}}" }})"
          description: "{{ "{{" }} $value {{ "}}" }} GPUs of namespace {{ "{{" }} $labels.namespace {{ "}}" }} on cluster {{ "{{" }} $labels.cluster {{ "}}" }} have been idle for more than {{ $r.idleGpuHours }} h."
  {{- if .Values.analyzer.enabled }}
  - name: kcloud-monitor.analyzer
    rules:
      - alert: KcloudAnalyzerNotCompleting
        # The leader's newest successful cycle (max over replicas: followers stay at 0).
        expr: time() - max by (job) (kcloud_analyzer_last_success_timestamp_seconds{job="{{ $job }}"}) > {{ $r.analyzerStaleSeconds }}
        for: 5m
        labels: { severity: warning }
        annotations:
          summary: "GPU analyzer has not completed a cycle for {{ $r.analyzerStaleSeconds }} s"
          description: "No replica of {{ "{{" }} $labels.job {{ "}}" }} completed an analysis cycle recently; scores and idle alerts are stale."
      - alert: KcloudAnalyzerNoLeader
        expr: max by (job) (kcloud_analyzer_leader{job="{{ $job }}"}) == 0
        for: 10m
        labels: { severity: warning }
        annotations:
          summary: "No replica holds the analyzer leader lock"
          description: "No replica of {{ "{{" }} $labels.job {{ "}}" }} runs scheduled analysis (Redis lock lost or analyzer disabled)."
  {{- end }}
  - name: kcloud-monitor.upstream
    rules:
      - alert: KcloudClusterUnavailable
        expr: max by (cluster) (kcloud_upstream_up{job="{{ $job }}"}) == 0
        for: 5m
        labels: { severity: critical }
        annotations:
          summary: "Prometheus of cluster {{ "{{" }} $labels.cluster {{ "}}" }} is unavailable"
          description: "kcloud-monitor cannot query cluster {{ "{{" }} $labels.cluster {{ "}}" }} (circuit open or errors); its GPUs are reported stale."
  - name: kcloud-monitor.api
    rules:
      - alert: KcloudApiErrorRate
        # Server-side failures only: 4xx answers and GraphQL errors the caller caused (bad input, no access) do not count.
        expr: |-
          sum by (job) (rate(api_errors_total{job="{{ $job }}", kind!="http_4xx", code!~"BAD_USER_INPUT|FORBIDDEN|NOT_FOUND|UNAUTHENTICATED|GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED"}[10m]))
            / sum by (job) (rate(api_requests_total{job="{{ $job }}"}[10m])) > {{ $r.errorRatio }}
        for: 10m
        labels: { severity: warning }
        annotations:
          summary: "kcloud-monitor answers errors to more than {{ $r.errorRatio }} of requests"
          description: "{{ "{{" }} $value | humanizePercentage {{ "}}" }} of requests to {{ "{{" }} $labels.job {{ "}}" }} failed over 10 minutes."
      - alert: KcloudApiDown
        expr: up{job="{{ $job }}"} == 0
        for: 5m
        labels: { severity: critical }
        annotations:
          summary: "kcloud-monitor target {{ "{{" }} $labels.instance {{ "}}" }} is down"
          description: "Prometheus cannot scrape {{ "{{" }} $labels.instance {{ "}}" }} of job {{ "{{" }} $labels.job {{ "}}" }}."
      - alert: KcloudApiNotScraped
        expr: absent(up{job="{{ $job }}"})
        for: 10m
        labels: { severity: critical }
        annotations:
          summary: "Prometheus scrapes no kcloud-monitor target"
          description: "No target of job {{ $job }}: the ServiceMonitor is not selected (serviceMonitor.additionalLabels) or the API is not deployed."
{{- end -}}
