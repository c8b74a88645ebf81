{{/*
The pod template shared by the Deployment and the DaemonSet. Kernel mode (daemonset) runs as uid 0
with every capability dropped except kernel.capabilities: the runtimes do not grant added
capabilities to a non-root user (no ambient capabilities), and a pinned map is opened read-write
only by its owner, usually root (measured: docs/operations.md, docker run).
*/}}
{{- define "bpfmapd.podTemplate" -}}
{{- $kernel := include "bpfmapd.kernelMode" . -}}
{{- $noCaps := include "bpfmapd.noCapabilities" . -}}
metadata:
  labels:
    {{- include "bpfmapd.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    checksum/config: {{ include "bpfmapd.applicationYaml" . | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "bpfmapd.serviceAccountName" . }}
  automountServiceAccountToken: false
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  securityContext:
    {{- if $noCaps }}
    runAsNonRoot: true
    runAsUser: {{ .Values.kernel.noCapabilities.runAsUser }}
    runAsGroup: {{ .Values.kernel.noCapabilities.runAsGroup }}
    {{- else if $kernel }}
    runAsUser: 0
    runAsGroup: 0
    {{- else }}
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
    fsGroup: 10001
    {{- end }}
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: bpfmapd
      image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      ports:
        - name: http
          containerPort: {{ .Values.containerPort }}
          protocol: TCP
      env:
        - name: JAVA_OPTS
          value: {{ .Values.javaOpts | quote }}
        - name: SPRING_CONFIG_ADDITIONAL_LOCATION
          value: "file:/etc/bpfmapd/config/"
      securityContext:
        readOnlyRootFilesystem: true
        allowPrivilegeEscalation: false
        {{- if and $kernel (not $noCaps) }}
        runAsNonRoot: false
        {{- else }}
        runAsNonRoot: true
        {{- end }}
        capabilities:
          drop: [ALL]
          {{- if and $kernel (not $noCaps) }}
          add:
            {{- toYaml .Values.kernel.capabilities | nindent 12 }}
          {{- end }}
      startupProbe:
        httpGet:
          path: /actuator/health/liveness
          port: http
        periodSeconds: {{ .Values.probes.startup.periodSeconds }}
        failureThreshold: {{ .Values.probes.startup.failureThreshold }}
      livenessProbe:
        httpGet:
          path: /actuator/health/liveness
          port: http
        periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
      readinessProbe:
        httpGet:
          path: /actuator/health/readiness
          port: http
        periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
      {{- with .Values.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      volumeMounts:
        - name: config
          mountPath: /etc/bpfmapd/config
          readOnly: true
        - name: tmp
          mountPath: /tmp
        - name: data
          mountPath: {{ .Values.emulated.dataDir }}
        {{- if $kernel }}
        - name: bpffs
          mountPath: {{ .Values.kernel.bpffsMountPath }}
          mountPropagation: HostToContainer
          {{- if $noCaps }}
          readOnly: true
          {{- end }}
        {{- end }}
        {{- if include "bpfmapd.tokensEnabled" . }}
        - name: tokens
          mountPath: {{ .Values.tokens.mountPath }}
          readOnly: true
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "bpfmapd.fullname" . }}
    - name: tmp
      emptyDir: {}
    - name: data
      {{- if and $kernel .Values.kernel.stateHostPath }}
      hostPath:
        path: {{ .Values.kernel.stateHostPath }}
        type: DirectoryOrCreate
      {{- else if and (not $kernel) .Values.emulated.persistence.enabled }}
      persistentVolumeClaim:
        claimName: {{ .Values.emulated.persistence.existingClaim | default (printf "%s-data" (include "bpfmapd.fullname" .)) }}
      {{- else }}
      emptyDir: {}
      {{- end }}
    {{- if $kernel }}
    - name: bpffs
      hostPath:
        path: {{ .Values.kernel.bpffsHostPath }}
        type: Directory
    {{- end }}
    {{- if include "bpfmapd.tokensEnabled" . }}
    - name: tokens
      secret:
        secretName: {{ include "bpfmapd.tokensSecretName" . }}
        # 0440 in decimal, so that YAML 1.1 and 1.2 readers agree: the owner (root) and the pod's
        # fsGroup (10001 in deployment mode) read it; the service re-reads it when the Secret changes.
        defaultMode: 288
        items:
          - key: {{ .Values.tokens.secretKey }}
            path: {{ .Values.tokens.secretKey }}
    {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
