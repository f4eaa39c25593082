package io.webrtccluster.testing;

/** JUnit tag names of the test tiers; run a slice with {@code mvn verify -Dgroups=<tier>}. */
public final class Tiers {
    /** Pure JVM, no external process. */
    public static final String UNIT = "unit";
    /** Real redis-server and service processes. */
    public static final String REDIS = "redis";
    /** Real headless Chromium peers. */
    public static final String BROWSER = "browser";
    /** Real kube-apiserver, etcd, controller-manager and kwok. */
    public static final String CLUSTER = "cluster";
    /** Network namespaces emulating NATs, with coturn. */
    public static final String NATLAB = "natlab";
    /**
     * A real node (containerd, kubelet, kube-proxy, CoreDNS, Traefik) running the chart's images, browsers through the
     * Ingress. Not in the default run (see the parent POM's excludedGroups): {@code mvn verify -Pimages
     * -Dgroups=cluster-node -DexcludedGroups=} as root.
     */
    public static final String CLUSTER_NODE = "cluster-node";

    private Tiers() {
    }
}
