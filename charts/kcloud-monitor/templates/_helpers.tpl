{{/* Names and labels. The renderer used by the tests supports this subset of Helm/sprig: keep to it (see the README). */}}
{{- define "kcloud-monitor.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kcloud-monitor.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kcloud-monitor.labels" -}}
app.kubernetes.io/name: {{ include "kcloud-monitor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kcloud-monitor.selector" -}}
app.kubernetes.io/name: {{ include "kcloud-monitor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kcloud-monitor.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "kcloud-monitor.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The `job` label of the API's scrape (the ServiceMonitor relabels to it; the alert rules select on it). */}}
{{- define "kcloud-monitor.job" -}}
{{- .Values.prometheusRule.apiJob | default "kcloud-monitor" -}}
{{- end -}}

{{/* Redis is configured (a plain URL or one from the Secret). */}}
{{- define "kcloud-monitor.hasRedis" -}}
{{- if or .Values.redis.url (and .Values.redis.urlFromSecret .Values.existingSecret) -}}true{{- end -}}
{{- end -}}

{{/* Heap size in MiB from resources.limits.memory (Mi or Gi); empty when there is no limit. */}}
{{- define "kcloud-monitor.heapMiB" -}}
{{- $limit := "" -}}
{{- if .Values.resources.limits -}}{{- $limit = .Values.resources.limits.memory | default "" | toString -}}{{- end -}}
{{- $mib := 0 -}}
{{- if hasSuffix "Gi" $limit -}}{{- $mib = mul (trimSuffix "Gi" $limit | int) 1024 -}}
{{- else if hasSuffix "Mi" $limit -}}{{- $mib = trimSuffix "Mi" $limit | int -}}
{{- else if $limit -}}{{- fail (printf "resources.limits.memory %q: use Mi or Gi so the chart can size the V8 heap" $limit) -}}
{{- end -}}
{{- if gt $mib 0 -}}{{- div (mul $mib .Values.heapPercentOfMemoryLimit) 100 -}}{{- end -}}
{{- end -}}

{{/*
Render-time checks: a plain `helm install` fails here with what to set, instead of a pod that crash-loops.
*/}}
{{- define "kcloud-monitor.validate" -}}
{{- $v := .Values -}}
{{- $hasSource := or $v.prometheus.url $v.prometheus.clusters (and $v.prometheus.clustersFromSecret $v.existingSecret) -}}
{{- if and (ne $v.dataSource "simulated") (not $hasSource) -}}
{{- fail "kcloud-monitor needs a data source: set prometheus.url, prometheus.clusters, or prometheus.clustersFromSecret=true with existingSecret (key PROMETHEUS_CLUSTERS); or dataSource=simulated for the demo fleet" -}}
{{- end -}}
{{- if and (eq $v.dataSource "simulated") $hasSource -}}
{{- fail "dataSource=simulated is never mixed with a configured Prometheus: unset prometheus.url/clusters or dataSource" -}}
{{- end -}}
{{- if and $v.prometheus.clustersFromSecret (not $v.existingSecret) -}}
{{- fail "prometheus.clustersFromSecret=true needs existingSecret (a Secret with the key PROMETHEUS_CLUSTERS)" -}}
{{- end -}}
{{- range $c := $v.prometheus.clusters -}}
{{- if $c.auth -}}
{{- fail (printf "prometheus.clusters[%s] has auth: credentials are never values; put the cluster list in existingSecret (key %s) and set prometheus.clustersFromSecret=true" $c.name $v.secretKeys.prometheusClusters) -}}
{{- end -}}
{{- end -}}
{{- if and (eq $v.auth.mode "on") (not $v.existingSecret) -}}
{{- fail "kcloud-monitor needs credentials in production: set existingSecret to a Secret holding api-keys.json (API keys, sha256 hashes) and/or API_AUTH_USERNAME + API_AUTH_PASSWORD; or auth.mode=off (every caller is an admin: not for production)" -}}
{{- end -}}
{{- if and (or (gt (int $v.replicaCount) 1) $v.autoscaling.enabled) (not (include "kcloud-monitor.hasRedis" .)) -}}
{{- fail "replicaCount > 1 or autoscaling.enabled needs Redis (PubSub, rate limits and the analyzer leader lock are shared through it): set redis.url or redis.urlFromSecret=true with existingSecret" -}}
{{- end -}}
{{- if and $v.redis.urlFromSecret (not $v.existingSecret) -}}
{{- fail "redis.urlFromSecret=true needs existingSecret (key REDIS_URL)" -}}
{{- end -}}
{{- if ge (add (int $v.shutdown.graceSeconds) (int $v.shutdown.preStopSleepSeconds)) (int $v.terminationGracePeriodSeconds) -}}
{{- fail "terminationGracePeriodSeconds must exceed shutdown.preStopSleepSeconds + shutdown.graceSeconds (the kubelet kills the pod at the end of it, before the API has closed what is left)" -}}
{{- end -}}
{{- end -}}
