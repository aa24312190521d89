{{/* merchant-platform.name: the chart name, or nameOverride. */}}
{{- define "merchant-platform.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* merchant-platform.fullname: the prefix of every resource name. */}}
{{- define "merchant-platform.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "merchant-platform.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "merchant-platform.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* merchant-platform.componentName: the name of one service's resources, `<fullname>-<service>`. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.componentName" -}}
{{- printf "%s-%s" (include "merchant-platform.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* merchant-platform.labels: the recommended labels on every resource. */}}
{{- define "merchant-platform.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "merchant-platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: merchant-platform
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* merchant-platform.selectorLabels: the labels selecting one component's pods; never change them after install. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.selectorLabels" -}}
app.kubernetes.io/name: {{ include "merchant-platform.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* merchant-platform.componentLabels: every label of one component's resources and pods. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.componentLabels" -}}
{{ include "merchant-platform.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* merchant-platform.releasePodLabels: the labels every pod of this release carries (the default-deny policy selects them). */}}
{{- define "merchant-platform.releasePodLabels" -}}
app.kubernetes.io/name: {{ include "merchant-platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* merchant-platform.image: the image of one service. Takes (dict "root" $ "svc" .Values.services.auth). */}}
{{- define "merchant-platform.image" -}}
{{- $repo := .svc.image.repository }}
{{- if .root.Values.image.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" .root.Values.image.registry) $repo }}{{ end }}
{{- printf "%s:%s" $repo (default .root.Values.image.tag .svc.image.tag) }}
{{- end }}

{{/* merchant-platform.secretName: the Secret with the signing key, session keys, service token (and Google/database secrets). */}}
{{- define "merchant-platform.secretName" -}}
{{- default (include "merchant-platform.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* merchant-platform.mysqlFullname: the bundled MySQL's name, computed as charts/mysql computes it. */}}
{{- define "merchant-platform.mysqlFullname" -}}
{{- if .Values.mysql.fullnameOverride }}
{{- .Values.mysql.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default "mysql" .Values.mysql.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* merchant-platform.database: host, port, name, user and where the password is, for the bundled or the external MySQL (a JSON object). */}}
{{- define "merchant-platform.database" -}}
{{- if .Values.mysql.enabled }}
{{- $secret := default (include "merchant-platform.mysqlFullname" .) .Values.mysql.auth.existingSecret }}
{{- dict "host" (include "merchant-platform.mysqlFullname" .) "port" 3306 "name" .Values.mysql.auth.database "user" .Values.mysql.auth.username "secret" $secret "key" "mysql-password" | toJson }}
{{- else if .Values.externalDatabase.existingSecret }}
{{- dict "host" .Values.externalDatabase.host "port" .Values.externalDatabase.port "name" .Values.externalDatabase.database "user" .Values.externalDatabase.username "secret" .Values.externalDatabase.existingSecret "key" .Values.externalDatabase.existingSecretPasswordKey | toJson }}
{{- else }}
{{- dict "host" .Values.externalDatabase.host "port" .Values.externalDatabase.port "name" .Values.externalDatabase.database "user" .Values.externalDatabase.username "secret" (include "merchant-platform.secretName" .) "key" "database-password" | toJson }}
{{- end }}
{{- end }}

{{/* merchant-platform.serviceUrl: the in-cluster base URL of one service's Service. Takes (dict "root" $ "name" "email"). */}}
{{- define "merchant-platform.serviceUrl" -}}
{{- printf "http://%s:%v" (include "merchant-platform.componentName" .) .root.Values.service.port }}
{{- end }}

{{/* merchant-platform.googleEnabled: "true" when Google sign-in is configured. */}}
{{- define "merchant-platform.googleEnabled" -}}
{{- if .Values.auth.google.clientId }}true{{ end }}
{{- end }}

{{/* merchant-platform.migrateInInitContainer: "true" when pods run their service's migrations before starting. */}}
{{- define "merchant-platform.migrateInInitContainer" -}}
{{- $mode := .Values.migrations.initContainer }}
{{- if or (eq $mode "always") (and (eq $mode "auto") .Values.mysql.enabled) }}true{{ end }}
{{- end }}

{{/* merchant-platform.secretEnv: one variable read from a Secret key. Takes (dict "env" NAME "secret" NAME "key" KEY). */}}
{{- define "merchant-platform.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end }}

{{/* merchant-platform.migrationEnv: what a migration reads (the database and no other secret); the start of every service's environment. */}}
{{- define "merchant-platform.migrationEnv" -}}
{{- $db := include "merchant-platform.database" . | fromJson }}
- name: NODE_ENV
  value: production
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
{{ include "merchant-platform.secretEnv" (dict "env" "DATABASE_PASSWORD" "secret" $db.secret "key" $db.key) }}
# Kubernetes expands $(DATABASE_PASSWORD) from the variable above; the password never sits in the spec.
- name: DATABASE_URL
  value: {{ printf "mysql://%s:$(DATABASE_PASSWORD)@%s:%v/%s" $db.user $db.host $db.port $db.name | quote }}
{{- end }}

{{/*
merchant-platform.env: the complete environment of one service's container. Takes (dict "root" $ "name" "auth").
*/}}
{{- define "merchant-platform.env" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $secret := include "merchant-platform.secretName" $root }}
{{ include "merchant-platform.migrationEnv" $root }}
- name: HOST
  value: 0.0.0.0
- name: PORT
  value: "8080"
- name: SHUTDOWN_GRACE_SECONDS
  value: {{ $v.config.shutdownGraceSeconds | quote }}
{{- if ne .name "email" }}
- name: TRUST_PROXY
  value: {{ $v.config.trustProxy | quote }}
- name: CORS_ORIGINS
  value: {{ join "," $v.config.corsOrigins | quote }}
- name: JWT_ISSUER
  value: {{ $v.jwt.issuer | quote }}
- name: JWT_AUDIENCE
  value: {{ $v.jwt.audience | quote }}
{{- end }}
{{- if eq .name "auth" }}
- name: JWT_PRIVATE_KEY_FILE
  value: /var/run/secrets/merchant-platform/jwt/private-key.pem
{{- with $v.jwt.retiredPublicKeys }}
- name: JWT_RETIRED_PUBLIC_KEYS
  value: {{ join "\n" . | quote }}
{{- end }}
{{ include "merchant-platform.secretEnv" (dict "env" "SESSION_KEYS" "secret" $secret "key" "session-keys") }}
{{- if eq $v.serviceAuth.mode "token" }}
{{ include "merchant-platform.secretEnv" (dict "env" "SERVICE_TOKEN" "secret" $secret "key" "service-token") }}
{{- else }}
# A projected ServiceAccount token for the email audience, re-read as the kubelet rotates it.
- name: SERVICE_TOKEN_FILE
  value: /var/run/secrets/merchant-platform/email-token/token
{{- end }}
- name: EMAIL_SERVICE_URL
  value: {{ include "merchant-platform.serviceUrl" (dict "root" $root "name" "email") | quote }}
- name: ADMIN_EMAILS
  value: {{ join "," $v.auth.adminEmails | quote }}
- name: BCRYPT_COST
  value: {{ $v.auth.bcryptCost | quote }}
- name: AUTH_REDIRECT_ALLOWLIST
  value: {{ join "," $v.auth.redirectAllowlist | quote }}
{{- if include "merchant-platform.googleEnabled" $root }}
- name: GOOGLE_CLIENT_ID
  value: {{ $v.auth.google.clientId | quote }}
{{ include "merchant-platform.secretEnv" (dict "env" "GOOGLE_CLIENT_SECRET" "secret" $secret "key" "google-client-secret") }}
- name: GOOGLE_REDIRECT_URI
  value: {{ $v.auth.google.redirectUri | quote }}
- name: GOOGLE_ISSUER
  value: {{ $v.auth.google.issuer | quote }}
{{- end }}
{{- end }}
{{- if eq .name "merchants" }}
- name: JWKS_URL
  value: {{ printf "%s/auth/.well-known/jwks.json" (include "merchant-platform.serviceUrl" (dict "root" $root "name" "auth")) | quote }}
{{- end }}
{{- if eq .name "email" }}
- name: SERVICE_AUTH
  value: {{ $v.serviceAuth.mode | quote }}
{{- if eq $v.serviceAuth.mode "token" }}
{{ include "merchant-platform.secretEnv" (dict "env" "SERVICE_TOKEN" "secret" $secret "key" "service-token") }}
{{- else }}
- name: SERVICE_AUTH_AUDIENCE
  value: {{ $v.serviceAuth.tokenAudience | quote }}
# Only the auth pods' ServiceAccount may send mail.
- name: SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS
  value: {{ printf "system:serviceaccount:%s:%s" $root.Release.Namespace (include "merchant-platform.componentName" (dict "root" $root "name" "auth")) | quote }}
{{- end }}
- name: EMAIL_TRANSPORT
  value: {{ $v.email.transport | quote }}
- name: EMAIL_FROM
  value: {{ $v.email.from | quote }}
- name: AWS_REGION
  value: {{ $v.email.ses.region | quote }}
{{- with $v.email.ses.endpoint }}
- name: SES_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with $v.email.ses.configurationSet }}
- name: SES_CONFIGURATION_SET
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- range $name, $value := (index $v.services .name).extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}

{{/* merchant-platform.volumeMounts: what one service's container mounts. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if eq .name "auth" }}
- name: jwt
  mountPath: /var/run/secrets/merchant-platform/jwt
  readOnly: true
{{- if eq .root.Values.serviceAuth.mode "kubernetes" }}
- name: email-token
  mountPath: /var/run/secrets/merchant-platform/email-token
  readOnly: true
{{- end }}
{{- end }}
{{- end }}

{{/* merchant-platform.volumes: the volumes of one service's pod. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.volumes" -}}
# The root filesystem is read-only; Node and the AWS SDK may write only here.
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if eq .name "auth" }}
- name: jwt
  secret:
    secretName: {{ include "merchant-platform.secretName" .root }}
    defaultMode: 0440
    items:
      - key: jwt-private-key.pem
        path: private-key.pem
{{- if eq .root.Values.serviceAuth.mode "kubernetes" }}
# Short-lived, bound to the pod, valid only for the email audience: useless to anyone who steals it elsewhere.
- name: email-token
  projected:
    defaultMode: 0440
    sources:
      - serviceAccountToken:
          audience: {{ .root.Values.serviceAuth.tokenAudience }}
          expirationSeconds: {{ .root.Values.serviceAuth.tokenExpirationSeconds }}
          path: token
{{- end }}
{{- end }}
{{- end }}

{{/*
merchant-platform.checksums: pod annotations that roll the pods when a secret value changes. Taken over
the values, not the rendered Secret: generated values are read back at upgrades and never change, so
an upgrade that changes nothing rolls nothing.
*/}}
{{- define "merchant-platform.checksums" -}}
checksum/secret: {{ list .Values.secrets .Values.externalDatabase.password .Values.externalDatabase.existingSecret .Values.mysql.auth | toJson | sha256sum }}
{{- end }}
