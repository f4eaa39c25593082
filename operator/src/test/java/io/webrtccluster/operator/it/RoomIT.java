package io.webrtccluster.operator.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.crd.v1alpha1.TopologySwitch;
import io.webrtccluster.testing.Tiers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Room against a real kube-apiserver, controller-manager (GC, Deployments) and kwok, with a real Redis. */
@Tag(Tiers.CLUSTER)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomIT {
    static final String NS = "rooms-it";
    static OperatorCluster oc;

    @BeforeAll
    static void up() {
        oc = OperatorCluster.get();
        oc.namespace(NS);
    }

    static String roomYaml(String name, String roomId, int minReplicas, int maxReplicas, int perWorker) {
        return """
                apiVersion: webrtc-cluster.io/v1alpha1
                kind: Room
                metadata:
                  name: %s
                spec:
                  roomId: %s
                  maxParticipants: 40
                  meshThreshold: 4
                  topology: auto
                  sfu:
                    minReplicas: %d
                    maxReplicas: %d
                    participantsPerWorker: %d
                    udpPort: 40100
                    # Several workers on kwok's one node: a hostPort would let only one of them schedule.
                    media: podIP
                """.formatted(name, roomId, minReplicas, maxReplicas, perWorker);
    }

    /** A new connection: the shared pool's sockets die with a Redis restart. */
    static redis.clients.jedis.Jedis fresh() {
        return new redis.clients.jedis.Jedis(java.net.URI.create(oc.redis.url()));
    }

    Room room(String name) {
        return oc.get(Room.class, NS, "room", name).orElseThrow();
    }

    static Optional<Condition> ready(Room r) {
        return r.getStatus() == null ? Optional.empty()
                : r.getStatus().conditions.stream().filter(c -> c.getType().equals("Ready")).findFirst();
    }

    void awaitReady(String name) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Room r = room(name);
            assertEquals("True", ready(r).map(Condition::getStatus).orElse("none"), () -> "status " + ready(r) + "\n" + oc.operatorLog());
            assertEquals(r.getMetadata().getGeneration(), r.getStatus().observedGeneration);
        });
    }

    @Test
    @Order(1)
    void appliedRoomGetsWorkersServiceRedisRecordAndBecomesReady() {
        oc.apply(NS, roomYaml("standup", "it-standup", 1, 3, 2));

        Deployment d = oc.await(Deployment.class, NS, "deployment", "standup-sfu");
        var pod = d.getSpec().getTemplate().getSpec();
        var c = pod.getContainers().get(0);
        Map<String, String> env = c.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertEquals(OperatorCluster.SFU_IMAGE, c.getImage());
        assertEquals(oc.redis.url(), env.get("WRC_REDIS_URL"));
        assertEquals("it-standup", env.get("WRC_SFU_ROOM"));
        assertEquals("40100", env.get("WRC_SFU_UDP_PORT"));
        assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("WRC_SFU_ANNOUNCED_ADDRESS")));
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("250m", c.getResources().getRequests().get("cpu").toString());
        assertEquals(1, d.getSpec().getReplicas());
        assertEquals(1, d.getMetadata().getOwnerReferences().size(), d.getMetadata().getOwnerReferences().toString());
        var owner = d.getMetadata().getOwnerReferences().get(0);
        assertEquals("Room", owner.getKind());
        assertEquals("standup", owner.getName());
        assertTrue(owner.getController());

        Service svc = oc.await(Service.class, NS, "service", "standup-sfu");
        assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 40100 && p.getProtocol().equals("UDP")));
        assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 8090 && p.getProtocol().equals("TCP")));

        await().atMost(Duration.ofSeconds(20)).until(() -> !oc.jedis.hgetAll(RedisKeys.roomPolicy("it-standup")).isEmpty());
        RoomPolicy policy = RoomPolicy.fromHash(oc.jedis.hgetAll(RedisKeys.roomPolicy("it-standup")));
        assertEquals(40, policy.maxParticipants());
        assertTrue(policy.declared());

        awaitReady("standup");
        assertTrue(room("standup").getMetadata().getFinalizers().stream().anyMatch(f -> f.contains("webrtc-cluster.io")),
                "finalizer guards the Redis record");

        String table = oc.cluster.kubectl("get", "rooms", "-n", NS);
        String header = table.lines().findFirst().orElse("");
        for (String column : new String[] {"NAME", "TOPOLOGY", "PARTICIPANTS", "WORKERS", "READY", "AGE"}) {
            assertTrue(header.contains(column), column + " missing in:\n" + table);
        }
        assertTrue(table.lines().anyMatch(l -> l.startsWith("standup") && l.contains("True")), table);
        assertTrue(oc.cluster.kubectl("get", "rm", "-n", NS).contains("standup"), "short name rm works");
    }

    @Test
    @Order(2)
    void liveParticipantsFromSignalingScaleTheWorkersWithoutPolling() {
        // What signaling does when people join: members hash, state hash, then an announcement on room-events.
        for (int i = 0; i < 5; i++) {
            oc.jedis.hset(RedisKeys.roomMembers("it-standup"), "p" + i, "{}");
        }
        oc.jedis.hset(RedisKeys.roomState("it-standup"), Map.of("topology", "sfu", "participants", "5"));
        oc.jedis.publish(RedisKeys.roomEvents(), "it-standup");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Room r = room("standup");
            assertEquals(5, r.getStatus().participants);
            assertEquals("sfu", r.getStatus().topology);
            assertEquals(3, oc.get(Deployment.class, NS, "deployment", "standup-sfu").orElseThrow().getSpec().getReplicas(),
                    "ceil(5/2)=3 workers, within maxReplicas 3");
        });
        String row = oc.cluster.kubectl("get", "rooms", "-n", NS).lines().filter(l -> l.startsWith("standup")).findFirst().orElseThrow();
        assertTrue(row.contains("sfu") && row.contains(" 5 "), row);
        awaitReady("standup");
    }

    @Test
    @Order(3)
    void specChangeIsFollowedByTheDeploymentAndObservedGeneration() {
        long before = room("standup").getMetadata().getGeneration();
        oc.cluster.kubectl("patch", "room", "standup", "-n", NS, "--type=merge",
                "-p", "{\"spec\":{\"maxParticipants\":30,\"sfu\":{\"maxReplicas\":2,\"udpPort\":40200}}}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Deployment d = oc.get(Deployment.class, NS, "deployment", "standup-sfu").orElseThrow();
            assertEquals(2, d.getSpec().getReplicas());
            assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .anyMatch(e -> e.getName().equals("WRC_SFU_UDP_PORT") && "40200".equals(e.getValue())));
            Room r = room("standup");
            assertEquals(before + 1, r.getMetadata().getGeneration());
            assertEquals(r.getMetadata().getGeneration(), r.getStatus().observedGeneration);
            RoomPolicy p = RoomPolicy.fromHash(oc.jedis.hgetAll(RedisKeys.roomPolicy("it-standup")));
            assertEquals(30, p.maxParticipants());
            assertEquals(r.getMetadata().getGeneration(), p.generation());
        });
        awaitReady("standup");
    }

    @Test
    @Order(4)
    void shippedExamplesAreAcceptedByTheApiServer() {
        var examples = io.webrtccluster.testing.ServiceProcess.repoRoot().resolve("k8s/examples");
        String out = oc.cluster.kubectl("apply", "--dry-run=server", "-n", NS, "-f", examples.toString());
        assertTrue(out.contains("room.webrtc-cluster.io/all-hands") && out.contains("turnpool.webrtc-cluster.io/relays"), out);
    }

    @Test
    @Order(4)
    void invalidRoomsAreRejectedNamingTheField() {
        var tooManyForMesh = oc.tryApply(NS, roomYaml("bad1", "bad1", 1, 2, 2).replace("meshThreshold: 4", "meshThreshold: 60"));
        assertFalse(tooManyForMesh.exit() == 0);
        assertTrue(tooManyForMesh.stderr().contains("spec.meshThreshold"), tooManyForMesh.stderr());
        assertTrue(tooManyForMesh.stderr().contains("must not exceed maxParticipants"), tooManyForMesh.stderr());

        var replicas = oc.tryApply(NS, roomYaml("bad2", "bad2", 3, 2, 2));
        assertTrue(replicas.stderr().contains("spec.sfu.minReplicas"), replicas.stderr());

        var range = oc.tryApply(NS, roomYaml("bad3", "bad3", 1, 2, 2).replace("maxParticipants: 40", "maxParticipants: 0"));
        assertTrue(range.stderr().contains("spec.maxParticipants"), range.stderr());

        var mode = oc.tryApply(NS, roomYaml("bad4", "bad4", 1, 2, 2).replace("topology: auto", "topology: star"));
        assertTrue(mode.stderr().contains("spec.topology") && mode.stderr().contains("Unsupported value"), mode.stderr());

        var id = oc.tryApply(NS, roomYaml("bad5", "Not_A_DNS_Label", 1, 2, 2));
        assertTrue(id.stderr().contains("spec.roomId"), id.stderr());

        var rename = oc.cluster.tryKubectlAs(oc.cluster.kubeconfig(), null, "patch", "room", "standup", "-n", NS,
                "--type=merge", "-p", "{\"spec\":{\"roomId\":\"other\"}}");
        assertTrue(rename.stderr().contains("roomId is immutable"), rename.stderr());
    }

    /** The Room's TopologySwitched Events, as kubectl sees them. */
    List<Event> switchEvents() {
        String json = oc.cluster.kubectl("get", "events", "-n", NS, "-o", "json",
                "--field-selector", "involvedObject.kind=Room,involvedObject.name=standup,reason=TopologySwitched");
        return Serialization.unmarshal(json, EventList.class).getItems();
    }

    @Test
    @Order(4)
    void completedSwitchShowsInStatusAndIsRecordedAsOneEvent() {
        // What signaling writes when a switch to the SFU commits: state hash, then the announcement.
        long at = System.currentTimeMillis();
        oc.jedis.hset(RedisKeys.roomState("it-standup"), Map.of("topology", "sfu", "participants", "5", "epoch", "1",
                "target", "", "lastSwitchFrom", "mesh", "lastSwitchTo", "sfu", "lastSwitchAt", Long.toString(at),
                "lastSwitchParticipants", "5", "lastSwitchMillis", "640"));
        oc.jedis.publish(RedisKeys.roomEvents(), "it-standup");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            TopologySwitch last = room("standup").getStatus().lastSwitch;
            assertEquals(new TopologySwitch("mesh", "sfu", Instant.ofEpochMilli(at).toString(), 5, 640L), last);
            assertEquals(1, switchEvents().size(), oc::operatorLog);
        });
        Event e = switchEvents().get(0);
        assertEquals("switched to sfu at 5 participants in 640 ms", e.getMessage());
        assertEquals("Normal", e.getType());
        assertEquals(room("standup").getMetadata().getUid(), e.getInvolvedObject().getUid());
        assertTrue(oc.cluster.kubectl("describe", "room", "standup", "-n", NS).contains("switched to sfu at 5 participants"),
                "kubectl describe shows it");

        // The same state announced again, and a later change that leaves the switch as it was: no second Event.
        oc.jedis.publish(RedisKeys.roomEvents(), "it-standup");
        oc.jedis.hset(RedisKeys.roomMembers("it-standup"), "p5", "{}");
        oc.jedis.publish(RedisKeys.roomEvents(), "it-standup");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals(6, room("standup").getStatus().participants));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertEquals(1, switchEvents().size());
        String header = oc.cluster.kubectl("get", "rooms", "-n", NS, "-o", "wide").lines().findFirst().orElse("");
        assertTrue(header.contains("LAST SWITCH") && header.contains("SWITCHING"), header);
        awaitReady("standup");
    }

    @Test
    @Order(5)
    void restartedOperatorCreatesNoDuplicatesAndStatusDoesNotFlap() {
        Deployment before = oc.get(Deployment.class, NS, "deployment", "standup-sfu").orElseThrow();
        Room roomBefore = room("standup");
        oc.stopOperator();
        oc.startOperator();
        // Give the new leader time to take the Lease and resync everything.
        // Give the new process time to take over the Lease (4 s) and resync every Room.
        await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
        Deployment after = oc.get(Deployment.class, NS, "deployment", "standup-sfu").orElseThrow();
        assertEquals(before.getMetadata().getUid(), after.getMetadata().getUid());
        assertEquals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration(),
                "an unchanged desired state is not re-applied");
        String deployments = oc.cluster.kubectl("get", "deployments", "-n", NS, "-o", "name");
        assertEquals(1, deployments.lines().filter(l -> l.contains("standup")).count(), deployments);
        Room roomAfter = room("standup");
        assertEquals(ready(roomBefore).orElseThrow().getLastTransitionTime(), ready(roomAfter).orElseThrow().getLastTransitionTime());
        assertEquals(roomBefore.getMetadata().getResourceVersion(), roomAfter.getMetadata().getResourceVersion(),
                "no status write when nothing changed");
        assertEquals(1, switchEvents().size(), "the new leader does not announce a switch the status already shows");
    }

    @Test
    @Order(6)
    void redisDownIsReportedAndNothingIsDeleted() {
        oc.redis.stop();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                Condition c = ready(room("standup")).orElseThrow();
                assertEquals("False", c.getStatus());
                assertEquals("RedisUnavailable", c.getReason());
                assertTrue(c.getMessage().contains(oc.redis.url()), c.getMessage());
            });
            assertTrue(oc.get(Deployment.class, NS, "deployment", "standup-sfu").isPresent());
            assertTrue(oc.get(Service.class, NS, "service", "standup-sfu").isPresent());
        } finally {
            oc.redis.restart();
        }
        // Redis is empty after the restart (no persistence): the operator writes the policy again.
        await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> !oc.jedis.hgetAll(RedisKeys.roomPolicy("it-standup")).isEmpty());
        awaitReady("standup");
        assertTrue(room("standup").getStatus().lastSwitch != null, "the last switch is history: an emptied Redis keeps it");
        assertEquals(1, switchEvents().size());
    }

    @Test
    @Order(7)
    void deletedRoomTakesItsRedisRecordAndOwnedObjects() {
        oc.cluster.kubectl("delete", "room", "standup", "-n", NS, "--wait=true", "--timeout=60s");
        assertTrue(fresh().hgetAll(RedisKeys.roomPolicy("it-standup")).isEmpty(), "finalizer removed the record first");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            assertTrue(oc.get(Deployment.class, NS, "deployment", "standup-sfu").isEmpty());
            assertTrue(oc.get(Service.class, NS, "service", "standup-sfu").isEmpty());
        });
    }
}
