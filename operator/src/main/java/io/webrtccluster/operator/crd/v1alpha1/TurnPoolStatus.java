package io.webrtccluster.operator.crd.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

public class TurnPoolStatus {
    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();
    /** ICE server URLs clients use (turn:host:3478?transport=udp, ...). */
    public List<String> urls = new ArrayList<>();
    /** Secret holding the TURN REST secret that signaling must share. */
    public String secretName;
    /** Deployment or DaemonSet. */
    public String mode;
    public Integer readyReplicas;

    @Override
    public boolean equals(Object o) {
        return o instanceof TurnPoolStatus s && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(conditions, s.conditions) && Objects.equals(urls, s.urls)
                && Objects.equals(secretName, s.secretName) && Objects.equals(mode, s.mode)
                && Objects.equals(readyReplicas, s.readyReplicas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, urls, secretName, mode, readyReplicas);
    }
}
