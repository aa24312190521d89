{{/* merchant-platform.scrapeSelector: the PromQL label matchers of this release's own scrape targets (the ServiceMonitors' jobs). */}}
{{- define "merchant-platform.scrapeSelector" -}}
namespace="{{ .Release.Namespace }}", job=~"{{ include "merchant-platform.fullname" . }}-(auth|merchants|email)"
{{- end }}

{{/* merchant-platform.podSelectorPromQL: the PromQL label matchers of this release's pods in cluster metrics (kube-state-metrics, cAdvisor). */}}
{{- define "merchant-platform.podSelectorPromQL" -}}
namespace="{{ .Release.Namespace }}", pod=~"{{ include "merchant-platform.fullname" . }}-(auth|merchants|email)-.*"
{{- end }}

{{/* merchant-platform.admitsScraper: "true" when the network policies must let Prometheus scrape `/metrics`. */}}
{{- define "merchant-platform.admitsScraper" -}}
{{- if and .Values.networkPolicy.enabled (or .Values.metrics.serviceMonitor.enabled .Values.metrics.scraper.allow) }}true{{ end }}
{{- end }}

{{/* merchant-platform.tracingEnv: the OpenTelemetry variables of one service (none when tracing is off). Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.tracingEnv" -}}
{{- $t := .root.Values.tracing }}
{{- if $t.enabled }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ required "tracing.otlpEndpoint is required with tracing.enabled" $t.otlpEndpoint | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ .name | quote }}
- name: OTEL_TRACES_SAMPLER
  value: parentbased_traceidratio
- name: OTEL_TRACES_SAMPLER_ARG
  value: {{ $t.sampleRatio | quote }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: {{ printf "service.namespace=%s,deployment.environment=%s" .root.Release.Namespace .root.Release.Name | quote }}
{{- end }}
{{- end }}
