package io.webrtccluster.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import io.webrtccluster.testing.Tiers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The chart lints clean and renders what an install needs (Helm 3 embedded through helm-java, no cluster). */
@Tag(Tiers.UNIT)
class HelmChartTest {
    static final Path CHART = Path.of("../helm/webrtc-cluster");

    static List<String> docs(String rendered) {
        return Arrays.stream(rendered.split("(?m)^---\\s*$")).map(String::strip).filter(d -> d.contains("kind:")).toList();
    }

    static boolean has(List<String> docs, String kind, String name) {
        return docs.stream().anyMatch(d -> d.lines().anyMatch(l -> l.equals("kind: " + kind))
                && d.contains("name: " + name));
    }

    @Test
    void chartLintsClean() {
        var result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @Test
    void installRendersOperatorSignalingRedisAndDefaultTurnPool() {
        List<String> docs = docs(new Helm(CHART).template().withName("wrc").withNamespace("rtc").call());
        assertTrue(has(docs, "Deployment", "webrtc-cluster-operator"));
        assertTrue(has(docs, "ServiceAccount", "webrtc-cluster-operator"));
        assertTrue(has(docs, "ClusterRole", "webrtc-cluster-operator"));
        assertTrue(has(docs, "Role", "webrtc-cluster-operator-leader-election"));
        assertTrue(has(docs, "Deployment", "signaling"));
        assertTrue(has(docs, "HorizontalPodAutoscaler", "signaling"));
        assertTrue(has(docs, "Ingress", "signaling"));
        assertTrue(has(docs, "Deployment", "wrc-redis"));
        assertTrue(has(docs, "TurnPool", "relays"));

        String binding = docs.stream().filter(d -> d.contains("kind: ClusterRoleBinding")).findFirst().orElseThrow();
        assertTrue(binding.contains("namespace: rtc"), "the operator's ServiceAccount is bound in the release namespace");
        assertFalse(String.join("\n", docs).contains("webrtc-system"));
        String ingress = docs.stream().filter(d -> d.contains("kind: Ingress")).findFirst().orElseThrow();
        assertTrue(ingress.contains("proxy-read-timeout: \"3600\""), "WebSockets outlive the default 60 s proxy timeout");
        String signaling = docs.stream().filter(d -> d.contains("kind: Deployment") && d.contains("name: signaling")).findFirst().orElseThrow();
        assertTrue(signaling.contains("redis://wrc-redis.rtc.svc:6379"));
        assertTrue(signaling.contains("relays-turn-auth"), "signaling shares the pool's TURN REST secret");
    }

    @Test
    void externalRedisReplacesTheBundledOne() {
        List<String> docs = docs(new Helm(CHART).template().withName("wrc").withNamespace("rtc")
                .set("redis.external.url", "redis://cache.internal:6379").set("turnPool.enabled", false).call());
        assertFalse(has(docs, "Deployment", "wrc-redis"));
        assertFalse(docs.stream().anyMatch(d -> d.contains("kind: TurnPool")));
        assertEquals(3, docs.stream().filter(d -> d.contains("redis://cache.internal:6379")).count(),
                "operator, signaling and the SFU pool");
    }

    @Test
    void sharedSfuPoolAnnouncesEachNodesAddressOnItsHostPort() {
        List<String> docs = docs(new Helm(CHART).template().withName("wrc").withNamespace("rtc").call());
        String pool = docs.stream().filter(d -> d.contains("kind: Deployment") && d.contains("name: wrc-sfu-pool"))
                .findFirst().orElseThrow();
        assertFalse(pool.contains("WRC_SFU_ROOM"), "pool workers register with no room: any ad hoc room may use them");
        assertTrue(pool.contains("fieldPath: status.hostIP"), "each worker announces the node it runs on");
        assertTrue(pool.contains("hostPort: 40100"));
        assertTrue(pool.contains("http://$(POD_IP):8090"), "signaling reaches the control API on the pod");
        assertTrue(pool.contains("readOnlyRootFilesystem: true"));

        List<String> podIp = docs(new Helm(CHART).template().withName("wrc").withNamespace("rtc")
                .set("sfuPool.media", "podIP").call());
        String podIpPool = podIp.stream().filter(d -> d.contains("name: wrc-sfu-pool") && d.contains("kind: Deployment"))
                .findFirst().orElseThrow();
        assertTrue(podIpPool.contains("fieldPath: status.podIP") && !podIpPool.contains("hostPort:"));
    }

    @Test
    void whatChartUsersExpect() {
        List<String> docs = docs(new Helm(CHART).template().withName("wrc").withNamespace("rtc").call());
        assertTrue(has(docs, "PodDisruptionBudget", "signaling"));
        assertTrue(has(docs, "PodDisruptionBudget", "webrtc-cluster-operator"));
        assertTrue(has(docs, "PodDisruptionBudget", "wrc-sfu-pool"));
        assertTrue(has(docs, "Secret", "wrc-signaling-auth"), "all replicas share one token secret");
        for (String d : docs) {
            if (d.lines().anyMatch(l -> l.equals("kind: Deployment"))) {
                assertTrue(d.contains("runAsNonRoot: true") && d.contains("allowPrivilegeEscalation: false")
                        && d.contains("readinessProbe:") && d.contains("resources:"), d);
            }
        }
        var bad = new Helm(CHART).template().withName("wrc").set("sfuPool.media", "nodePort");
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, bad::call);
        assertTrue(e.getMessage().contains("/sfuPool/media"), "values.schema.json names the bad value: " + e.getMessage());
    }
}
