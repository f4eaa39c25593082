package io.webrtccluster.operator.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.webrtccluster.operator.Fixtures;
import io.webrtccluster.operator.TestConfig;
import io.webrtccluster.operator.crd.v1alpha1.RoomTopologyMode;
import io.webrtccluster.operator.crd.v1alpha1.SfuMedia;
import io.webrtccluster.operator.crd.v1alpha1.SfuSpec;
import io.webrtccluster.testing.Tiers;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Tiers.UNIT)
class SfuWorkloadTest {

    @Test
    void workersFollowTheSfuConfigContract() {
        var room = Fixtures.room("standup");
        room.getSpec().roomId = "team-standup";
        room.getSpec().sfu.udpPort = 41000;
        room.getSpec().sfu.announcedAddress = "203.0.113.5";

        var d = SfuDeploymentDependent.build(room, TestConfig.defaults(), 2);
        var pod = d.getSpec().getTemplate().getSpec();
        var c = pod.getContainers().get(0);
        Map<String, String> env = c.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));

        assertEquals("standup-sfu", d.getMetadata().getName());
        assertEquals(2, d.getSpec().getReplicas());
        assertEquals("example/sfu-worker:test", c.getImage());
        assertEquals("redis://redis.webrtc-system:6379", env.get("WRC_REDIS_URL"));
        assertEquals("team-standup", env.get("WRC_SFU_ROOM"));
        assertEquals("41000", env.get("WRC_SFU_UDP_PORT"));
        assertEquals("203.0.113.5", env.get("WRC_SFU_ANNOUNCED_ADDRESS"));
        assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(8090, c.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertTrue(c.getPorts().stream().anyMatch(p -> p.getContainerPort() == 41000 && "UDP".equals(p.getProtocol())));
        assertEquals(false, c.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals("team-standup", d.getMetadata().getLabels().get("webrtc-cluster.io/room"));

        var svc = SfuServiceDependent.build(room);
        assertEquals(d.getSpec().getSelector().getMatchLabels(), svc.getSpec().getSelector());
        assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 41000 && "UDP".equals(p.getProtocol())));
    }

    @Test
    void desiredHashIsStableAndFollowsTheSpec() {
        var room = Fixtures.room("r");
        String a = io.webrtccluster.operator.workload.DesiredHash.stamp(SfuDeploymentDependent.build(room, TestConfig.defaults(), 1))
                .getMetadata().getAnnotations().get("webrtc-cluster.io/desired-hash");
        String b = io.webrtccluster.operator.workload.DesiredHash.stamp(SfuDeploymentDependent.build(room, TestConfig.defaults(), 1))
                .getMetadata().getAnnotations().get("webrtc-cluster.io/desired-hash");
        String c = io.webrtccluster.operator.workload.DesiredHash.stamp(SfuDeploymentDependent.build(room, TestConfig.defaults(), 2))
                .getMetadata().getAnnotations().get("webrtc-cluster.io/desired-hash");
        assertEquals(a, b, "same desired state, same hash: no re-apply");
        assertTrue(!a.equals(c), "a new replica count is a new desired state");
    }

    @Test
    void byDefaultEachWorkerAnnouncesItsNodeAndHoldsTheNodesMediaPort() {
        var d = SfuDeploymentDependent.build(Fixtures.room("r"), TestConfig.defaults(), 2);
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        var announced = c.getEnv().stream().filter(e -> e.getName().equals("WRC_SFU_ANNOUNCED_ADDRESS")).findFirst().orElseThrow();
        assertEquals("status.hostIP", announced.getValueFrom().getFieldRef().getFieldPath(), "per pod, not one address per Room");
        var media = c.getPorts().stream().filter(p -> "media".equals(p.getName())).findFirst().orElseThrow();
        assertEquals(40000, media.getHostPort());
        assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal(),
                "a surge pod could not get the node's port");
        var control = c.getEnv().stream().filter(e -> e.getName().equals("WRC_SFU_CONTROL_URL")).findFirst().orElseThrow();
        assertEquals("http://$(POD_IP):8090", control.getValue(), "signaling reaches the control API on the pod");
    }

    @Test
    void podIpWorkersAnnounceTheirPodAndOpenNoNodePort() {
        var room = Fixtures.room("r");
        room.getSpec().sfu.media = SfuMedia.POD_IP;
        var d = SfuDeploymentDependent.build(room, TestConfig.defaults(), 1);
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        var announced = c.getEnv().stream().filter(e -> e.getName().equals("WRC_SFU_ANNOUNCED_ADDRESS")).findFirst().orElseThrow();
        assertEquals("status.podIP", announced.getValueFrom().getFieldRef().getFieldPath());
        assertTrue(c.getPorts().stream().allMatch(p -> p.getHostPort() == null));
    }

    @Test
    void workerCountFollowsLiveParticipantsWithinBounds() {
        var sfu = Fixtures.room("r").getSpec().sfu;
        sfu.minReplicas = 1;
        sfu.maxReplicas = 3;
        sfu.participantsPerWorker = 10;
        assertEquals(1, SfuSizing.replicas(sfu, RoomTopologyMode.AUTO, 0), "a warm worker before the first SFU switch");
        assertEquals(2, SfuSizing.replicas(sfu, RoomTopologyMode.AUTO, 11));
        assertEquals(3, SfuSizing.replicas(sfu, RoomTopologyMode.SFU, 500), "capped at maxReplicas");
        assertEquals(0, SfuSizing.replicas(sfu, RoomTopologyMode.MESH, 8), "mesh-only rooms need no SFU");
    }

    @Test
    void anMcuRoomsWorkersAlsoCarryTheMixingCost() {
        SfuSpec sfu = new SfuSpec();
        sfu.minReplicas = 1;
        sfu.maxReplicas = 5;
        sfu.participantsPerWorker = 10;
        assertEquals(1, SfuSizing.replicas(sfu, RoomTopologyMode.SFU, 10));
        assertEquals(1, SfuSizing.replicas(sfu, RoomTopologyMode.MCU, 0, 3, 9), "9 listeners + the mixer of 3 (~0.45 ms per 20 ms)");
        assertEquals(2, SfuSizing.replicas(sfu, RoomTopologyMode.MCU, 0, 3, 10), "10 listeners + the mixer");
        assertEquals(2, SfuSizing.replicas(sfu, RoomTopologyMode.MCU, 0, 15, 9), "more speakers mixed, more cost");
        assertEquals(1, SfuSizing.mixingLoad(3));
        assertEquals(4, SfuSizing.mixingLoad(15));
        assertEquals(2, SfuSizing.replicas(sfu, RoomTopologyMode.AUTO, 12, 3, 12), "auto at the MCU threshold still forwards");
        assertEquals(2, SfuSizing.replicas(sfu, RoomTopologyMode.AUTO, 12, 3, 13), "and mixes past it");
        assertEquals(1, SfuSizing.replicas(sfu, RoomTopologyMode.AUTO, 12, 3, 3));
    }
}
