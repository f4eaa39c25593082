package io.webrtccluster.operator.workload;

import java.util.Map;

/** Labels on everything the operator creates; the operator's informers watch only objects carrying MANAGED_BY. */
public final class Labels {
    public static final String MANAGED_BY_KEY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "webrtc-cluster-operator";
    public static final String MANAGED_SELECTOR = MANAGED_BY_KEY + "=" + MANAGED_BY_VALUE;
    public static final String ROOM = "webrtc-cluster.io/room";
    public static final String TURN_POOL = "webrtc-cluster.io/turn-pool";

    private Labels() {
    }

    /** Selector labels of one component instance (stable: Deployment selectors are immutable). */
    public static Map<String, String> selector(String component, String instance) {
        return Map.of("app.kubernetes.io/name", component, "app.kubernetes.io/instance", instance);
    }

    public static Map<String, String> of(String component, String instance, String key, String value) {
        return Map.of("app.kubernetes.io/name", component, "app.kubernetes.io/instance", instance,
                MANAGED_BY_KEY, MANAGED_BY_VALUE, key, value);
    }
}
