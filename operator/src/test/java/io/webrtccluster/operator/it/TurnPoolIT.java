package io.webrtccluster.operator.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.contracts.turn.TurnPoolRecord;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.testing.Tiers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** TurnPool against a real kube-apiserver, controller-manager and kwok. */
@Tag(Tiers.CLUSTER)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TurnPoolIT {
    static final String NS = "turn-it";
    static OperatorCluster oc;

    @BeforeAll
    static void up() {
        oc = OperatorCluster.get();
        oc.namespace(NS);
    }

    static final String POOL = """
            apiVersion: webrtc-cluster.io/v1alpha1
            kind: TurnPool
            metadata:
              name: relays
            spec:
              realm: turn.example.com
              replicas: 2
              relayPorts: {min: 50000, max: 50019}
              deniedPeerCidrs: [10.96.0.0/12, 10.244.0.0/16]
              userQuota: 8
              totalQuota: 400
            """;

    /** turnserver.conf as coturn reads it: key[=value] lines, repeatable keys. */
    static Map<String, List<String>> parse(String conf) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        conf.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(l -> {
            int eq = l.indexOf('=');
            m.computeIfAbsent(eq < 0 ? l : l.substring(0, eq), k -> new ArrayList<>()).add(eq < 0 ? "" : l.substring(eq + 1));
        });
        return m;
    }

    TurnPool pool() {
        return oc.get(TurnPool.class, NS, "turnpool", "relays").orElseThrow();
    }

    @Test
    @Order(1)
    void appliedPoolGetsHardenedConfigSecretServiceAndUrls() {
        oc.apply(NS, POOL);

        ConfigMap cm = oc.await(ConfigMap.class, NS, "configmap", "relays-turnserver-conf");
        var conf = parse(cm.getData().get("turnserver.conf"));
        for (String flag : List.of("use-auth-secret", "no-cli", "no-multicast-peers", "no-tlsv1", "no-tlsv1_1", "fingerprint", "prometheus")) {
            assertTrue(conf.containsKey(flag), flag + " missing");
        }
        assertEquals(List.of("turn.example.com"), conf.get("realm"));
        assertEquals(List.of("8"), conf.get("user-quota"));
        assertEquals(List.of("400"), conf.get("total-quota"));
        assertEquals(List.of("50000"), conf.get("min-port"));
        assertEquals(List.of("50019"), conf.get("max-port"));
        for (String range : List.of("127.0.0.0-127.255.255.255", "10.0.0.0-10.255.255.255", "172.16.0.0-172.31.255.255",
                "192.168.0.0-192.168.255.255", "100.64.0.0-100.127.255.255", "169.254.0.0-169.254.255.255",
                "0.0.0.0-0.255.255.255", "10.96.0.0-10.111.255.255", "10.244.0.0-10.244.255.255")) {
            assertTrue(conf.get("denied-peer-ip").contains(range), range + " not denied");
        }
        assertFalse(conf.containsKey("static-auth-secret"), "no secret in the ConfigMap");

        Secret secret = oc.await(Secret.class, NS, "secret", "relays-turn-auth");
        assertTrue(secret.getData().get("static-auth-secret").length() > 20);
        assertEquals("TurnPool", secret.getMetadata().getOwnerReferences().get(0).getKind());

        Deployment d = oc.await(Deployment.class, NS, "deployment", "relays-coturn");
        assertEquals(2, d.getSpec().getReplicas());
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("relays-turn-auth", c.getEnv().get(0).getValueFrom().getSecretKeyRef().getName());

        Service svc = oc.await(Service.class, NS, "service", "relays-turn");
        assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 3478 && p.getProtocol().equals("UDP")));
        assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 3478 && p.getProtocol().equals("TCP")));
        assertEquals(20, svc.getSpec().getPorts().stream().filter(p -> p.getName().startsWith("relay-")).count());

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            TurnPool p = pool();
            assertEquals(List.of("turn:relays-turn.turn-it.svc:3478?transport=udp", "turn:relays-turn.turn-it.svc:3478?transport=tcp"),
                    p.getStatus().urls);
            assertEquals("relays-turn-auth", p.getStatus().secretName);
            assertEquals("True", p.getStatus().conditions.get(0).getStatus(), () -> p.getStatus().conditions + "\n" + oc.operatorLog());
            assertEquals(p.getMetadata().getGeneration(), p.getStatus().observedGeneration);
        });
        // What signaling reads to hand out this pool's servers (rooms name it as "<namespace>/<name>").
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            var record = TurnPoolRecord.fromHash(oc.jedis.hgetAll(RedisKeys.turnPool(NS + "/relays")));
            assertEquals(List.of("stun:relays-turn.turn-it.svc:3478"), record.stunUrls());
            assertEquals(2, record.turnUrls().size());
            assertEquals(new String(java.util.Base64.getDecoder().decode(secret.getData().get("static-auth-secret"))), record.secret());
            assertEquals(3600, record.ttlSeconds());
        });
        String table = oc.cluster.kubectl("get", "tp", "-n", NS);
        assertTrue(table.contains("turn:relays-turn.turn-it.svc:3478?transport=udp") && table.contains("True"), table);
    }

    @Test
    @Order(2)
    void secretIsStableAcrossReconcilesAndConfigChangesRollTheRelays() {
        Secret before = oc.get(Secret.class, NS, "secret", "relays-turn-auth").orElseThrow();
        String hashBefore = oc.get(Deployment.class, NS, "deployment", "relays-coturn").orElseThrow()
                .getSpec().getTemplate().getMetadata().getAnnotations().get("webrtc-cluster.io/config-hash");
        oc.cluster.kubectl("patch", "turnpool", "relays", "-n", NS, "--type=merge", "-p", "{\"spec\":{\"userQuota\":3}}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            var conf = parse(oc.get(ConfigMap.class, NS, "configmap", "relays-turnserver-conf").orElseThrow().getData().get("turnserver.conf"));
            assertEquals(List.of("3"), conf.get("user-quota"));
            String hash = oc.get(Deployment.class, NS, "deployment", "relays-coturn").orElseThrow()
                    .getSpec().getTemplate().getMetadata().getAnnotations().get("webrtc-cluster.io/config-hash");
            assertNotEquals(hashBefore, hash, "pods roll to read the new file");
        });
        Secret after = oc.get(Secret.class, NS, "secret", "relays-turn-auth").orElseThrow();
        assertEquals(before.getData(), after.getData());
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
    }

    @Test
    @Order(3)
    void rotatingTheSecretRollsTheRelaysAndRepublishesIt() {
        String old = new String(java.util.Base64.getDecoder().decode(
                oc.get(Secret.class, NS, "secret", "relays-turn-auth").orElseThrow().getData().get("static-auth-secret")));
        String hashBefore = oc.get(Deployment.class, NS, "deployment", "relays-coturn").orElseThrow()
                .getSpec().getTemplate().getMetadata().getAnnotations().get("webrtc-cluster.io/secret-hash");
        oc.cluster.kubectl("patch", "secret", "relays-turn-auth", "-n", NS, "--type=merge", "-p",
                "{\"stringData\":{\"static-auth-secret\":\"rotated-secret-2\",\"previous-static-auth-secret\":\"" + old + "\"}}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            String hash = oc.get(Deployment.class, NS, "deployment", "relays-coturn").orElseThrow()
                    .getSpec().getTemplate().getMetadata().getAnnotations().get("webrtc-cluster.io/secret-hash");
            assertNotEquals(hashBefore, hash, "coturn reads secrets at start: the relays roll");
            assertEquals("rotated-secret-2", TurnPoolRecord.fromHash(oc.jedis.hgetAll(RedisKeys.turnPool(NS + "/relays"))).secret());
        });
    }

    @Test
    @Order(4)
    void hostNetworkPoolRunsAsDaemonSetOnNodeAddresses() {
        oc.cluster.kubectl("patch", "turnpool", "relays", "-n", NS, "--type=merge", "-p",
                "{\"spec\":{\"hostNetwork\":true,\"relayPorts\":{\"min\":49152,\"max\":65535}}}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            DaemonSet ds = oc.get(DaemonSet.class, NS, "daemonset", "relays-coturn").orElseThrow();
            assertTrue(ds.getSpec().getTemplate().getSpec().getHostNetwork());
            assertTrue(oc.get(Deployment.class, NS, "deployment", "relays-coturn").isEmpty(), "the Deployment form is removed");
            Service svc = oc.get(Service.class, NS, "service", "relays-turn").orElseThrow();
            assertEquals(2, svc.getSpec().getPorts().size(), "relay ports are on the nodes, not the Service");
            assertEquals("DaemonSet", pool().getStatus().mode);
        });
    }

    /**
     * The relays' pod template names the auth Secret's hash, so a workload created before the Secret would be rolled
     * once the Secret appears (relays replaced right after install, seconds without TURN). The Secret comes first:
     * each workload is created once, final, and never updated while nothing changes.
     */
    @Test
    @Order(7)
    void relaysAreCreatedOnceWithTheSecretAlreadyThere() {
        String ns = "turn-order-it";
        oc.namespace(ns);
        // Own listening port: the hostNetwork relays of the pool above may still hold 3478 on the one node.
        oc.apply(ns, POOL.replace("name: relays", "name: fresh").replace("replicas: 2", "replicas: 1\n  listeningPort: 3481"));
        oc.apply(ns, POOL.replace("name: relays", "name: edge").replace("replicas: 2", "hostNetwork: true\n  listeningPort: 3482")
                .replace("{min: 50000, max: 50019}", "{min: 50100, max: 50119}"));
        for (String name : List.of("fresh", "edge")) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                TurnPool p = oc.get(TurnPool.class, ns, "turnpool", name).orElseThrow();
                assertTrue(p.getStatus() != null && "True".equals(p.getStatus().conditions.get(0).getStatus()),
                        () -> name + ": " + (p.getStatus() == null ? null : p.getStatus().conditions) + "\n" + oc.operatorLog());
            });
        }
        // Ready means the relays run; any roll caused by a late Secret would have happened by now. Give it a moment more.
        sleep(2000);
        Secret fresh = oc.get(Secret.class, ns, "secret", "fresh-turn-auth").orElseThrow();
        Deployment d = oc.get(Deployment.class, ns, "deployment", "fresh-coturn").orElseThrow();
        assertEquals(1L, d.getMetadata().getGeneration(), "the Deployment was updated after creation: " + d.getMetadata());
        assertEquals(secretHash(fresh), d.getSpec().getTemplate().getMetadata().getAnnotations().get("webrtc-cluster.io/secret-hash"));
        Secret edge = oc.get(Secret.class, ns, "secret", "edge-turn-auth").orElseThrow();
        DaemonSet ds = oc.get(DaemonSet.class, ns, "daemonset", "edge-coturn").orElseThrow();
        assertEquals(1L, ds.getMetadata().getGeneration(), "the DaemonSet was updated after creation: " + ds.getMetadata());
        assertEquals(secretHash(edge), ds.getSpec().getTemplate().getMetadata().getAnnotations().get("webrtc-cluster.io/secret-hash"));
        oc.cluster.kubectl("delete", "turnpool", "--all", "-n", ns, "--wait=true", "--timeout=60s");
    }

    /**
     * A pool naming a Secret of its own that does not exist yet: no relays (they could not start) and no generated
     * Secret, a status that says what is missing; once the Secret is there, relays created once with its hash.
     */
    @Test
    @Order(8)
    void poolWithItsOwnSecretWaitsForItThenCreatesTheRelaysOnce() {
        String ns = "turn-order-it";
        oc.apply(ns, POOL.replace("name: relays", "name: byo").replace("replicas: 2", "replicas: 1\n  authSecretName: byo-auth"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            TurnPool p = oc.get(TurnPool.class, ns, "turnpool", "byo").orElseThrow();
            assertTrue(p.getStatus() != null && p.getStatus().conditions.get(0).getMessage().contains("byo-auth"),
                    () -> String.valueOf(p.getStatus() == null ? null : p.getStatus().conditions));
            assertEquals("False", p.getStatus().conditions.get(0).getStatus());
        });
        assertTrue(oc.get(Deployment.class, ns, "deployment", "byo-coturn").isEmpty(), "no relays without their Secret");
        assertTrue(oc.get(Secret.class, ns, "secret", "byo-turn-auth").isEmpty(), "nothing generated for a pool with its own Secret");

        oc.cluster.kubectl("create", "secret", "generic", "byo-auth", "-n", ns, "--from-literal=static-auth-secret=bring-your-own-1");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            TurnPool p = oc.get(TurnPool.class, ns, "turnpool", "byo").orElseThrow();
            assertEquals("True", p.getStatus().conditions.get(0).getStatus(), () -> p.getStatus().conditions + "\n" + oc.operatorLog());
            assertEquals("bring-your-own-1", TurnPoolRecord.fromHash(oc.jedis.hgetAll(RedisKeys.turnPool(ns + "/byo"))).secret());
        });
        Deployment d = oc.get(Deployment.class, ns, "deployment", "byo-coturn").orElseThrow();
        assertEquals(1L, d.getMetadata().getGeneration(), "the Deployment was updated after creation: " + d.getMetadata());
        assertEquals(secretHash(oc.get(Secret.class, ns, "secret", "byo-auth").orElseThrow()),
                d.getSpec().getTemplate().getMetadata().getAnnotations().get("webrtc-cluster.io/secret-hash"));
        oc.cluster.kubectl("delete", "turnpool", "byo", "-n", ns, "--wait=true", "--timeout=60s");
    }

    /** What the operator stamps: the hash of the current and previous values as the Secret holds them (base64). */
    static String secretHash(Secret s) {
        return io.webrtccluster.operator.turn.CoturnConfig.hash(s.getData().getOrDefault("static-auth-secret", "") + "\n"
                + s.getData().getOrDefault("previous-static-auth-secret", ""));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(6)
    void deletedPoolTakesItsRedisRecordAndOwnedObjects() {
        oc.cluster.kubectl("delete", "turnpool", "relays", "-n", NS, "--wait=true", "--timeout=60s");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> oc.jedis.hgetAll(RedisKeys.turnPool(NS + "/relays")).isEmpty());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertTrue(oc.get(DaemonSet.class, NS, "daemonset", "relays-coturn").isEmpty());
            assertTrue(oc.get(Secret.class, NS, "secret", "relays-turn-auth").isEmpty());
            assertTrue(oc.get(ConfigMap.class, NS, "configmap", "relays-turnserver-conf").isEmpty());
        });
    }

    @Test
    @Order(5)
    void invalidPoolsAreRejectedNamingTheField() {
        var range = oc.tryApply(NS, POOL.replace("name: relays", "name: bad1").replace("{min: 50000, max: 50019}", "{min: 50010, max: 50000}"));
        assertTrue(range.stderr().contains("spec.relayPorts.min"), range.stderr());
        var wide = oc.tryApply(NS, POOL.replace("name: relays", "name: bad2").replace("{min: 50000, max: 50019}", "{min: 50000, max: 60000}"));
        assertTrue(wide.stderr().contains("spec.relayPorts") && wide.stderr().contains("hostNetwork"), wide.stderr());
        var realm = oc.tryApply(NS, POOL.replace("name: relays", "name: bad3").replace("  realm: turn.example.com\n", ""));
        assertTrue(realm.stderr().contains("spec.realm") && realm.stderr().contains("Required"), realm.stderr());
        var port = oc.tryApply(NS, POOL.replace("name: relays", "name: bad4").replace("replicas: 2", "replicas: 2\n  listeningPort: 70000"));
        assertTrue(port.stderr().contains("spec.listeningPort"), port.stderr());
    }
}
