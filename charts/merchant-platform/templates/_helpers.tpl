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

{{/* merchant-platform.consoleOrigins: the console's public origins as a JSON list: `merchants.consoleUrl`, or `https://<host>` for each `ingress.hosts` entry. */}}
{{- define "merchant-platform.consoleOrigins" -}}
{{- $origins := list }}
{{- if .Values.merchants.consoleUrl }}
{{- $origins = append $origins (trimSuffix "/" .Values.merchants.consoleUrl) }}
{{- else }}
{{- range (.Values.ingress.hosts | default (list "localhost")) }}{{ $origins = append $origins (printf "https://%s" .) }}{{ end }}
{{- end }}
{{- $origins | toJson }}
{{- end }}

{{/* merchant-platform.migrateInInitContainer: "true" when pods run their service's migrations before starting. */}}
{{- define "merchant-platform.migrateInInitContainer" -}}
{{- $mode := .Values.migrations.initContainer }}
{{- if or (eq $mode "always") (and (eq $mode "auto") .Values.mysql.enabled) }}true{{ end }}
{{- end }}

{{/*
merchant-platform.topology: each service as data. `public`: the Ingress routes its `paths`
(the console's `/` is the shortest prefix, so every API path keeps going to its service);
`calls`: the services it calls with a service credential, each with the variable that names its
projected token file in kubernetes mode; `uses`: services whose public API it calls as a user's
client, with the user's token (the console); `signsTokens`: it holds the JWT
signing key; `outbound`: which HTTPS destination it may need (see merchant-platform.needsHttps).
Environment, projected tokens, RBAC and network policies all follow from this table.
*/}}
{{- define "merchant-platform.topology" -}}
auth:
  public: true
  paths: [/auth, /register, /token]
  calls: {email: SERVICE_TOKEN_FILE, merchants: MERCHANTS_SERVICE_TOKEN_FILE}
  signsTokens: true
  outbound: google
merchants:
  public: true
  paths: [/merchants, /users]
  calls: {auth: SERVICE_TOKEN_FILE, email: EMAIL_SERVICE_TOKEN_FILE}
  outbound: webhooks
email:
  public: false
  outbound: ses
console:
  public: true
  paths: [/]
  uses: [auth, merchants]
{{- end }}

{{/* merchant-platform.service: one service's entry of the topology (a dict). Takes (dict "root" $ "name" "auth"); use with fromYaml. */}}
{{- define "merchant-platform.service" -}}
{{- index (include "merchant-platform.topology" .root | fromYaml) .name | toYaml }}
{{- end }}

{{/* merchant-platform.callers: the services that call one service, as a JSON list. Takes (dict "root" $ "name" "email"); use with fromJsonArray. */}}
{{- define "merchant-platform.callers" -}}
{{- $callers := list }}
{{- range $name, $svc := include "merchant-platform.topology" .root | fromYaml }}
{{- if hasKey ($svc.calls | default dict) $.name }}{{ $callers = append $callers $name }}{{ end }}
{{- end }}
{{- $callers | toJson }}
{{- end }}

{{/* merchant-platform.checksTokenReviews: "true" when one service verifies its callers through the TokenReview API (it has callers, kubernetes mode). Takes (dict "root" $ "name" "email"). */}}
{{- define "merchant-platform.checksTokenReviews" -}}
{{- if and (eq .root.Values.serviceAuth.mode "kubernetes") (include "merchant-platform.callers" . | fromJsonArray) }}true{{ end }}
{{- end }}

{{/* merchant-platform.needsHttps: "true" when one service must open HTTPS connections to `networkPolicy.httpsEgressCidr` (auth: Google sign-in configured; email: the SES transport). Merchants' webhooks have a rule of their own. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.needsHttps" -}}
{{- $outbound := (include "merchant-platform.service" . | fromYaml).outbound }}
{{- if and (eq (toString $outbound) "google") (include "merchant-platform.googleEnabled" .root) }}true{{ end }}
{{- if and (eq (toString $outbound) "ses") (eq .root.Values.email.transport "ses") }}true{{ end }}
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

{{/* merchant-platform.migrateContainer: the container that runs one service's migrations, for the hook Job and the init container alike. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.migrateContainer" -}}
- name: migrate
  image: {{ include "merchant-platform.image" (dict "root" .root "svc" (index .root.Values.services .name)) | quote }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  command: ["node", "services/{{ .name }}/dist/migrate.js"]
  env:
    {{- include "merchant-platform.migrationEnv" .root | trim | nindent 4 }}
  resources:
    {{- toYaml (index .root.Values.services .name).resources | nindent 4 }}
  securityContext:
    {{- toYaml .root.Values.containerSecurityContext | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
{{- end }}

{{/* merchant-platform.serviceAccountUser: how the TokenReview API names one service's pods, `system:serviceaccount:<ns>:<name>`. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.serviceAccountUser" -}}
{{- printf "system:serviceaccount:%s:%s" .root.Release.Namespace (include "merchant-platform.componentName" .) }}
{{- end }}

{{/*
merchant-platform.serviceAuthEnv: how one service proves who it is to the service it calls
(SERVICE_TOKEN, or SERVICE_TOKEN_FILE in kubernetes mode) and how it checks its own callers
(SERVICE_AUTH...). Takes (dict "root" $ "name" "auth").
*/}}
{{- define "merchant-platform.serviceAuthEnv" -}}
{{- $root := .root }}
{{- $mode := $root.Values.serviceAuth.mode }}
{{- $calls := (include "merchant-platform.service" . | fromYaml).calls }}
{{- $callers := include "merchant-platform.callers" . | fromJsonArray }}
{{- if and (eq $mode "token") (or $calls $callers) }}
{{ include "merchant-platform.secretEnv" (dict "env" "SERVICE_TOKEN" "secret" (include "merchant-platform.secretName" $root) "key" "service-token") }}
{{- end }}
{{- if eq $mode "kubernetes" }}
{{- range $callee, $variable := $calls }}
# A projected ServiceAccount token for {{ $callee }}'s audience, re-read as the kubelet rotates it.
- name: {{ $variable }}
  value: /var/run/secrets/merchant-platform/service-token/{{ $callee }}
{{- end }}
{{- end }}
{{- if $callers }}
- name: SERVICE_AUTH
  value: {{ $mode | quote }}
{{- if eq $mode "kubernetes" }}
- name: SERVICE_AUTH_AUDIENCE
  value: {{ .name | quote }}
# Only the ServiceAccounts of the services that call this one.
{{- $accounts := list }}
{{- range $callers }}{{ $accounts = append $accounts (include "merchant-platform.serviceAccountUser" (dict "root" $root "name" .)) }}{{ end }}
- name: SERVICE_AUTH_ALLOWED_SERVICE_ACCOUNTS
  value: {{ join "," $accounts | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* merchant-platform.env.auth: the variables only auth reads. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.env.auth" -}}
{{- $v := .root.Values }}
{{- $secret := include "merchant-platform.secretName" .root }}
- name: JWT_PRIVATE_KEY_FILE
  value: /var/run/secrets/merchant-platform/jwt/private-key.pem
{{- /* During a rotation (platformctl rotate-signing-key) the Secret holds the next and the retired public keys; optional, as an existingSecret may lack them. */}}
- name: JWT_NEXT_PUBLIC_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: jwt-next-public-key.pem
      optional: true
{{- if $v.jwt.retiredPublicKeys }}
- name: JWT_RETIRED_PUBLIC_KEYS
  value: {{ join "\n" $v.jwt.retiredPublicKeys | quote }}
{{- else }}
- name: JWT_RETIRED_PUBLIC_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: jwt-retired-public-keys.pem
      optional: true
{{- end }}
{{ include "merchant-platform.secretEnv" (dict "env" "SESSION_KEYS" "secret" $secret "key" "session-keys") }}
{{ include "merchant-platform.secretEnv" (dict "env" "PASSWORD_PEPPER" "secret" $secret "key" "password-pepper") }}
- name: EMAIL_SERVICE_URL
  value: {{ include "merchant-platform.serviceUrl" (dict "root" .root "name" "email") | quote }}
# A person's data export and account deletion ask merchants (its /internal/users/... routes), and
# auth delivers the user events merchants acts on to its /internal/events.
- name: MERCHANTS_SERVICE_URL
  value: {{ include "merchant-platform.serviceUrl" (dict "root" .root "name" "merchants") | quote }}
- name: ADMIN_EMAILS
  value: {{ join "," $v.auth.adminEmails | quote }}
- name: BCRYPT_COST
  value: {{ $v.auth.bcryptCost | quote }}
- name: ADMIN_MFA_REQUIRED
  value: {{ $v.auth.adminMfaRequired | quote }}
{{- $allowed := $v.auth.redirectAllowlist }}
{{- if include "merchant-platform.googleEnabled" .root }}
{{- /* The console's Google completion page, where auth sends the browser back with the tokens. */}}
{{- range (include "merchant-platform.consoleOrigins" .root | fromJsonArray) }}{{ $allowed = append $allowed (printf "%s/sign-in/google/complete" .) }}{{ end }}
{{- end }}
- name: AUTH_REDIRECT_ALLOWLIST
  value: {{ join "," $allowed | quote }}
{{- $hosts := $v.ingress.hosts | default (list "localhost") }}
- name: WEBAUTHN_RP_ID
  value: {{ $v.auth.webauthn.rpId | default (first $hosts) | quote }}
- name: WEBAUTHN_ORIGINS
  {{- $origins := list }}
  {{- range $hosts }}{{ $origins = append $origins (printf "https://%s" .) }}{{ end }}
  value: {{ join "," ($v.auth.webauthn.origins | default $origins) | quote }}
- name: WEBAUTHN_RP_NAME
  value: {{ $v.auth.webauthn.rpName | quote }}
{{- if include "merchant-platform.googleEnabled" .root }}
- name: GOOGLE_CLIENT_ID
  value: {{ $v.auth.google.clientId | quote }}
{{ include "merchant-platform.secretEnv" (dict "env" "GOOGLE_CLIENT_SECRET" "secret" $secret "key" "google-client-secret") }}
- name: GOOGLE_REDIRECT_URI
  value: {{ $v.auth.google.redirectUri | quote }}
- name: GOOGLE_ISSUER
  value: {{ $v.auth.google.issuer | quote }}
{{- end }}
{{- end }}

{{/* merchant-platform.env.merchants: the variables only merchants reads. Takes (dict "root" $ "name" "merchants"). */}}
{{- define "merchant-platform.env.merchants" -}}
{{- $auth := include "merchant-platform.serviceUrl" (dict "root" .root "name" "auth") }}
- name: JWKS_URL
  value: {{ printf "%s/auth/.well-known/jwks.json" $auth | quote }}
# The internal routes (/internal/...), which the Ingress never routes.
- name: AUTH_INTERNAL_URL
  value: {{ $auth | quote }}
# Invitation mail goes to the email service, which renders and sends it.
- name: EMAIL_SERVICE_URL
  value: {{ include "merchant-platform.serviceUrl" (dict "root" .root "name" "email") | quote }}
- name: CONSOLE_URL
  value: {{ .root.Values.merchants.consoleUrl | default (printf "https://%s" (first (.root.Values.ingress.hosts | default (list "localhost")))) | quote }}
{{- $webhooks := .root.Values.webhooks }}
{{ include "merchant-platform.secretEnv" (dict "env" "WEBHOOK_SECRET_KEY" "secret" (include "merchant-platform.secretName" .root) "key" "webhook-secret-key") }}
- name: WEBHOOK_RETRY_BASE_MS
  value: {{ $webhooks.retryBaseMs | int | quote }}
- name: WEBHOOK_TIMEOUT_MS
  value: {{ $webhooks.timeoutMs | int | quote }}
- name: WEBHOOK_ALLOW_PRIVATE_TARGETS
  value: {{ $webhooks.allowPrivateTargets | quote }}
{{- end }}

{{/* merchant-platform.env.email: the variables only email reads. Takes (dict "root" $ "name" "email"). */}}
{{- define "merchant-platform.env.email" -}}
{{- $v := .root.Values }}
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

{{/* merchant-platform.env.console: the variables only the console reads. Takes (dict "root" $ "name" "console"). */}}
{{- define "merchant-platform.env.console" -}}
{{- $v := .root.Values }}
{{ include "merchant-platform.secretEnv" (dict "env" "SESSION_KEYS" "secret" (include "merchant-platform.secretName" .root) "key" "session-keys") }}
# The public APIs at their Services, not through the Ingress: the same routes, one hop fewer.
- name: AUTH_API_URL
  value: {{ include "merchant-platform.serviceUrl" (dict "root" .root "name" "auth") | quote }}
- name: MERCHANTS_API_URL
  value: {{ include "merchant-platform.serviceUrl" (dict "root" .root "name" "merchants") | quote }}
- name: CONSOLE_PRODUCT_NAME
  value: {{ $v.console.productName | quote }}
{{- with $v.console.logoUrl }}
- name: CONSOLE_LOGO_URL
  value: {{ . | quote }}
{{- end }}
- name: CONSOLE_ACCENT_COLOR
  value: {{ $v.console.accentColor | quote }}
- name: CONSOLE_INVITATIONS
  value: {{ $v.console.invitations | quote }}
# The sign-in page offers Google when auth has it configured.
- name: CONSOLE_GOOGLE_SIGN_IN
  value: {{ include "merchant-platform.googleEnabled" .root | default "false" | quote }}
{{- end }}

{{/*
merchant-platform.env: the complete environment of one service's container. Takes (dict "root" $ "name" "auth").
*/}}
{{- define "merchant-platform.env" -}}
{{- $v := .root.Values }}
{{ include "merchant-platform.migrationEnv" .root }}
- name: HOST
  value: 0.0.0.0
- name: PORT
  value: "8080"
- name: SHUTDOWN_GRACE_SECONDS
  value: {{ $v.config.shutdownGraceSeconds | quote }}
{{- if (include "merchant-platform.service" . | fromYaml).public }}
# Behind exactly one proxy (the ingress controller) that appends the client address to X-Forwarded-For.
- name: TRUST_PROXY
  value: {{ $v.config.trustProxy | quote }}
- name: CORS_ORIGINS
  value: {{ join "," $v.config.corsOrigins | quote }}
{{- /* A client of the APIs (the console: `uses`) verifies no token itself. */}}
{{- if not (include "merchant-platform.service" . | fromYaml).uses }}
- name: JWT_ISSUER
  value: {{ $v.jwt.issuer | quote }}
- name: JWT_AUDIENCE
  value: {{ $v.jwt.audience | quote }}
{{- end }}
{{- end }}
{{- include "merchant-platform.serviceAuthEnv" . }}
{{- include (printf "merchant-platform.env.%s" .name) . | trim | nindent 0 }}
{{- include "merchant-platform.tracingEnv" . }}
{{- range $name, $value := (index $v.services .name).extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}

{{/* merchant-platform.volumeMounts: what one service's container mounts. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.volumeMounts" -}}
{{- $svc := include "merchant-platform.service" . | fromYaml }}
- name: tmp
  mountPath: /tmp
{{- if $svc.signsTokens }}
- name: jwt
  mountPath: /var/run/secrets/merchant-platform/jwt
  readOnly: true
{{- end }}
{{- if and $svc.calls (eq .root.Values.serviceAuth.mode "kubernetes") }}
- name: service-token
  mountPath: /var/run/secrets/merchant-platform/service-token
  readOnly: true
{{- end }}
{{- end }}

{{/* merchant-platform.volumes: the volumes of one service's pod. Takes (dict "root" $ "name" "auth"). */}}
{{- define "merchant-platform.volumes" -}}
{{- $svc := include "merchant-platform.service" . | fromYaml }}
# The root filesystem is read-only; Node and the AWS SDK may write only here.
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if $svc.signsTokens }}
- name: jwt
  secret:
    secretName: {{ include "merchant-platform.secretName" .root }}
    defaultMode: 0440
    items:
      - key: jwt-private-key.pem
        path: private-key.pem
{{- end }}
{{- if and $svc.calls (eq .root.Values.serviceAuth.mode "kubernetes") }}
# Short-lived, bound to the pod, each valid only for one called service's audience: useless to anyone who steals it elsewhere.
- name: service-token
  projected:
    defaultMode: 0440
    sources:
      {{- range $callee, $_ := $svc.calls }}
      - serviceAccountToken:
          audience: {{ $callee }}
          expirationSeconds: {{ $.root.Values.serviceAuth.tokenExpirationSeconds }}
          path: {{ $callee }}
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

{{/*
merchant-platform.clusterReachable: "true" when `lookup` talks to a cluster (helm install, upgrade,
--dry-run=server). Under helm template, helm lint, --dry-run=client and Argo CD every lookup answers
{}; a list of ServiceAccounts is never {} on a cluster, even in a namespace that does not exist yet.
*/}}
{{- define "merchant-platform.clusterReachable" -}}
{{- if lookup "v1" "ServiceAccount" .Release.Namespace "" }}true{{ end }}
{{- end }}

{{/*
merchant-platform.keptSecret: one key of the generated Secret, base64: the explicit value, else the
live Secret's (so upgrades never change it), else a new one, generated only when Helm can read the
cluster; without one a fresh value would replace the real one at every render, so rendering fails.
Takes (dict "root" $ "key" KEY "value" VALUE "previous" LIVE-DATA "online" BOOL).
*/}}
{{- define "merchant-platform.keptSecret" -}}
{{- if .value }}{{ .value | b64enc }}
{{- else if index .previous .key }}{{ index .previous .key }}
{{- else if not .online }}
{{- fail (printf "\n\nThe Secret key %q has no value and Helm cannot read the cluster to keep the one it generated (helm template, helm lint, --dry-run=client, Argo CD).\nSupply the secrets: name a Secret with the keys jwt-private-key.pem, session-keys, service-token, password-pepper and webhook-secret-key in secrets.existingSecret,\nor set secrets.jwtPrivateKey, secrets.sessionKeys, secrets.serviceToken, secrets.passwordPepper and secrets.webhookSecretKey (and mysql.auth.rootPassword, mysql.auth.password or mysql.auth.existingSecret).\n" .key) }}
{{- else if eq .key "jwt-private-key.pem" }}{{ genPrivateKey "rsa" | b64enc }}
{{- else }}{{ randAlphaNum 48 | b64enc }}
{{- end }}
{{- end }}
