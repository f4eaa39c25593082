package io.webrtccluster.operator.it;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.webrtccluster.testing.LocalCluster;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.JedisPooled;

/**
 * One real control plane, one redis-server and the packaged operator, shared by every cluster IT in this JVM
 * (start-up is most of the tier's cost). The operator authenticates as its ServiceAccount, bound only to the
 * checked-in crds/operator-rbac.yml, so a missing verb shows up as a failing test.
 */
final class OperatorCluster {
    static final String SYSTEM_NS = "webrtc-system";
    static final String SFU_IMAGE = "registry.example/sfu-worker:it";
    private static OperatorCluster shared;

    final LocalCluster cluster;
    final RedisServer redis;
    final JedisPooled jedis;
    final Path operatorKubeconfig;
    private ServiceProcess operator;

    private OperatorCluster() {
        cluster = LocalCluster.shared();
        redis = RedisServer.start();
        jedis = new JedisPooled(java.net.URI.create(redis.url()));
        Path crds = ServiceProcess.repoRoot().resolve("crds");
        cluster.tryKubectlAs(cluster.kubeconfig(), null, "create", "namespace", SYSTEM_NS);
        cluster.kubectl("apply", "--server-side",
                "-f", crds.resolve("rooms.webrtc-cluster.io-v1.yml").toString(),
                "-f", crds.resolve("turnpools.webrtc-cluster.io-v1.yml").toString(),
                "-f", crds.resolve("operator-rbac.yml").toString());
        cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s",
                "crd/rooms.webrtc-cluster.io", "crd/turnpools.webrtc-cluster.io");
        operatorKubeconfig = cluster.serviceAccountKubeconfig(SYSTEM_NS, "webrtc-cluster-operator");
        startOperator();
    }

    static synchronized OperatorCluster get() {
        if (shared == null) {
            shared = new OperatorCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.stopOperator();
                shared.redis.close();
            }));
        }
        return shared;
    }

    void startOperator() {
        Map<String, String> props = new HashMap<>();
        props.put("kubeconfig", operatorKubeconfig.toString());
        props.put("wrc.redis.url", redis.url());
        props.put("wrc.operator.sfu-image", SFU_IMAGE);
        props.put("wrc.operator.lease-namespace", SYSTEM_NS);
        // Short lease: a restarted operator takes over within seconds (JOSDK does not release the Lease on stop).
        props.put("wrc.operator.lease-duration", "4s");
        props.put("wrc.operator.lease-renew-deadline", "3s");
        props.put("wrc.operator.lease-retry-period", "1s");
        props.put("wrc.operator.redis-retry", "2s");
        operator = ServiceProcess.start("operator", "operator", props);
    }

    void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    String operatorLog() {
        return operator == null ? "" : operator.process().logText();
    }

    void namespace(String ns) {
        cluster.tryKubectlAs(cluster.kubeconfig(), null, "create", "namespace", ns);
    }

    String apply(String ns, String yaml) {
        return cluster.kubectlWithInput(yaml, "apply", "-n", ns, "-f", "-");
    }

    LocalCluster.KubectlResult tryApply(String ns, String yaml) {
        return cluster.tryKubectlAs(cluster.kubeconfig(), yaml, "apply", "-n", ns, "-f", "-");
    }

    <T extends HasMetadata> Optional<T> get(Class<T> type, String ns, String kind, String name) {
        var r = cluster.tryKubectlAs(cluster.kubeconfig(), null, "get", kind, name, "-n", ns, "-o", "json");
        if (r.exit() != 0) {
            if (r.stderr().contains("NotFound")) {
                return Optional.empty();
            }
            throw new IllegalStateException("kubectl get " + kind + " " + name + ": " + r.stderr());
        }
        return Optional.of(Serialization.unmarshal(r.stdout(), type));
    }

    <T extends HasMetadata> T await(Class<T> type, String ns, String kind, String name) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(type, ns, kind, name), Optional::isPresent).orElseThrow();
    }
}
