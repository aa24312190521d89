{{/* mysql.name: the chart name, or nameOverride. */}}
{{- define "mysql.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* mysql.fullname: the prefix of every resource name, `<release>-mysql` unless overridden. */}}
{{- define "mysql.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "mysql.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "mysql.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* mysql.headlessName: the governing (headless) Service of the StatefulSet. */}}
{{- define "mysql.headlessName" -}}
{{- printf "%s-headless" (include "mysql.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* mysql.selectorLabels: the labels that select the MySQL pods; never change them after install. */}}
{{- define "mysql.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mysql.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: database
{{- end }}

{{/* mysql.labels: the recommended labels on every resource. */}}
{{- define "mysql.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mysql.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* mysql.secretName: the Secret holding `mysql-root-password` and `mysql-password`. */}}
{{- define "mysql.secretName" -}}
{{- default (include "mysql.fullname" .) .Values.auth.existingSecret }}
{{- end }}

{{/* mysql.image: registry/repository:tag, or @digest when a digest is pinned. */}}
{{- define "mysql.image" -}}
{{- $repo := .Values.image.repository }}
{{- if .Values.image.registry }}{{ $repo = printf "%s/%s" .Values.image.registry $repo }}{{ end }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $repo .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $repo .Values.image.tag }}
{{- end }}
{{- end }}

{{/*
mysql.keptPassword: one password of the Secret, base64: the explicit value, else the live Secret's
(the data directory only opens with it), else a new one, generated only when Helm can read the
cluster; `helm template`, `helm lint` and Argo CD answer {} to every lookup (a ServiceAccount list
is never {} on a cluster), and a fresh password there would lock the database out, so rendering fails.
Takes (dict "root" $ "key" KEY "value" VALUE "previous" LIVE-DATA).
*/}}
{{- define "mysql.keptPassword" -}}
{{- if .value }}{{ .value | b64enc }}
{{- else if index .previous .key }}{{ index .previous .key }}
{{- else if not (lookup "v1" "ServiceAccount" .root.Release.Namespace "") }}
{{- fail (printf "\n\nThe MySQL Secret key %q has no value and Helm cannot read the cluster to keep the one it generated (helm template, helm lint, --dry-run=client, Argo CD).\nSupply the passwords: auth.existingSecret (keys mysql-root-password, mysql-password), or auth.rootPassword and auth.password\n(mysql.auth.* from the merchant-platform chart).\n" .key) }}
{{- else }}{{ randAlphaNum 32 | b64enc }}
{{- end }}
{{- end }}
