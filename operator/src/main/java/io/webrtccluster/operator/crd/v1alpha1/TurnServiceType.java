package io.webrtccluster.operator.crd.v1alpha1;

/** How the pool's Service is exposed (the Kubernetes Service types that make sense for TURN). */
public enum TurnServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer
}
