{{- define "wrc.labels" -}}
app.kubernetes.io/part-of: webrtc-cluster
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "wrc.redisUrl" -}}
{{- if .Values.redis.external.url -}}
{{ .Values.redis.external.url }}
{{- else -}}
redis://{{ .Release.Name }}-redis.{{ .Release.Namespace }}.svc:6379
{{- end -}}
{{- end -}}
