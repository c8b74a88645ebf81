{{/* Chart name, truncated to the 63 characters a label allows. */}}
{{- define "bpfmapd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "bpfmapd.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "bpfmapd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bpfmapd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "bpfmapd.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "bpfmapd.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: {{ .Values.mode }}
{{- end }}

{{- define "bpfmapd.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "bpfmapd.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "bpfmapd.tokensEnabled" -}}
{{- if or .Values.tokens.create .Values.tokens.existingSecret }}true{{ end }}
{{- end }}

{{- define "bpfmapd.tokensSecretName" -}}
{{- default (printf "%s-tokens" (include "bpfmapd.fullname" .)) .Values.tokens.existingSecret }}
{{- end }}

{{- define "bpfmapd.kernelMode" -}}
{{- if eq .Values.mode "daemonset" }}true{{ end }}
{{- end }}

{{/*
The application.yaml the pod reads (spring.config.additional-location): what the chart decides,
with .Values.config merged over it.
*/}}
{{- define "bpfmapd.applicationYaml" -}}
{{- $kernel := include "bpfmapd.kernelMode" . -}}
{{- $bpfmapd := dict
      "backend" (dict "default" (ternary "KERNEL" "EMULATED" (eq $kernel "true")))
      "emulated" (dict "data-dir" .Values.emulated.dataDir)
      "kernel" (dict "enabled" (eq $kernel "true")) -}}
{{- if $kernel }}
{{- $_ := set $bpfmapd.kernel "bpffs-root" .Values.kernel.bpffsMountPath -}}
{{- $_ := set $bpfmapd.kernel "imports" .Values.kernel.imports -}}
{{- with .Values.kernel.watch }}
{{- $_ := set $bpfmapd.kernel "watch" (.globs | default list) -}}
{{- $_ := set $bpfmapd.kernel "watch-interval" (.interval | default "2s") -}}
{{- end }}
{{- if include "bpfmapd.noCapabilities" . }}
{{- $_ := set $bpfmapd.kernel "import-access" "READ_ONLY" -}}
{{- /* Without capabilities the kernel backend cannot create maps, so it is not the default: readiness
       follows the default backend, and the kernel one serves read-only imports (KernelProbe.readOnlyOpens). */ -}}
{{- $_ := set $bpfmapd.backend "default" "EMULATED" -}}
{{- end }}
{{- end }}
{{- with .Values.exports }}
{{- $exports := dict -}}
{{- with .views }}{{- $_ := set $exports "views" . -}}{{- end }}
{{- with .maxSeries }}{{- $_ := set $exports "max-series" . -}}{{- end }}
{{- if $exports }}{{- $_ := set $bpfmapd "exports" $exports -}}{{- end }}
{{- end }}
{{- if include "bpfmapd.tokensEnabled" . }}
{{- $_ := set $bpfmapd "security" (dict "tokens-file" (printf "%s/%s" .Values.tokens.mountPath .Values.tokens.secretKey)) -}}
{{- else }}
{{- $_ := set $bpfmapd "security" (dict "allow-open" true) -}}
{{- end }}
{{- /* Reached through the Service, so never loopback only. */ -}}
{{- $base := dict "server" (dict "port" .Values.containerPort "address" "0.0.0.0") "bpfmapd" $bpfmapd -}}
{{- toYaml (mustMergeOverwrite $base (deepCopy .Values.config)) }}
{{- end }}

{{/*
Without tokens anyone who reaches the Service is admin of the node's BPF maps: refuse to render
unless tokens are configured or tokens.allowOpen says that is intended.
*/}}
{{- define "bpfmapd.checkTokens" -}}
{{- if and (not (include "bpfmapd.tokensEnabled" .)) (not .Values.tokens.allowOpen) }}
{{- fail "bpfmapd: no API tokens configured. Set tokens.existingSecret (a Secret with a tokens file, one name:role[,role]:sha256hex a line), or tokens.create=true with tokens.content, or tokens.allowOpen=true for a throwaway cluster where anyone reaching the Service may be admin." }}
{{- end }}
{{- end }}

{{/*
"true" when the kernel-mode pod runs with no capability (kernel.noCapabilities.enabled), else empty.
*/}}
{{- define "bpfmapd.noCapabilities" -}}
{{- if and (include "bpfmapd.kernelMode" .) .Values.kernel.noCapabilities .Values.kernel.noCapabilities.enabled -}}true{{- end -}}
{{- end }}
