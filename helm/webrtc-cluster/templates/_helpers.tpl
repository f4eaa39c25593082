{{- define "wrc.labels" -}}
app.kubernetes.io/part-of: webrtc-cluster
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "wrc.authSecret" -}}
{{- default (printf "%s-signaling-auth" .Release.Name) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "wrc.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{- define "wrc.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities: {drop: [ALL]}
{{- end -}}

{{- define "wrc.redisUrl" -}}
{{- if .Values.redis.external.url -}}
{{ .Values.redis.external.url }}
{{- else -}}
redis://{{ .Release.Name }}-redis.{{ .Release.Namespace }}.svc:6379
{{- end -}}
{{- end -}}
