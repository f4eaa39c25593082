package io.webrtccluster.operator.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ServicePort;
import io.webrtccluster.operator.Fixtures;
import io.webrtccluster.operator.TestConfig;
import io.webrtccluster.testing.Tiers;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Tiers.UNIT)
class TurnPoolResourcesTest {

    @Test
    void configIsHardenedCarriesClusterCidrsAndNoSecret() {
        var pool = Fixtures.pool("relays");
        pool.getSpec().deniedPeerCidrs = List.of("10.96.0.0/12", "fd00:10::/64");
        String conf = CoturnConfig.render(pool.getSpec());
        List<String> lines = conf.lines().toList();
        assertTrue(lines.contains("use-auth-secret"));
        assertTrue(lines.contains("no-cli"));
        assertTrue(lines.contains("realm=turn.example.com"));
        assertTrue(lines.contains("denied-peer-ip=169.254.0.0-169.254.255.255"));
        assertTrue(lines.contains("denied-peer-ip=10.96.0.0-10.111.255.255"));
        assertTrue(lines.contains("min-port=49160") && lines.contains("max-port=49200"));
        assertFalse(conf.contains("static-auth-secret"), "secrets stay out of the ConfigMap");
    }

    @Test
    void relaysGetTheSecretFromEnvAndRollOnConfigChange() {
        var pool = Fixtures.pool("relays");
        var d = CoturnDeploymentDependent.build(pool, TestConfig.defaults());
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("relays-turn-auth", c.getEnv().get(0).getValueFrom().getSecretKeyRef().getName());
        assertTrue(c.getEnv().get(1).getValueFrom().getSecretKeyRef().getOptional());
        assertTrue(String.join(" ", c.getCommand()).contains("-c /etc/coturn/turnserver.conf"));
        String hash = d.getSpec().getTemplate().getMetadata().getAnnotations().get(CoturnWorkload.CONFIG_HASH);

        pool.getSpec().userQuota = 3;
        var changed = CoturnDeploymentDependent.build(pool, TestConfig.defaults());
        assertNotEquals(hash, changed.getSpec().getTemplate().getMetadata().getAnnotations().get(CoturnWorkload.CONFIG_HASH));
    }

    @Test
    void serviceExposesTurnAndEachRelayPortUnlessOnHostNetwork() {
        var pool = Fixtures.pool("relays");
        pool.getSpec().relayPorts.min = 50000;
        pool.getSpec().relayPorts.max = 50009;
        List<ServicePort> ports = TurnServiceDependent.build(pool).getSpec().getPorts();
        assertTrue(ports.stream().anyMatch(p -> p.getPort() == 3478 && p.getProtocol().equals("UDP")));
        assertTrue(ports.stream().anyMatch(p -> p.getPort() == 3478 && p.getProtocol().equals("TCP")));
        assertEquals(10, ports.stream().filter(p -> p.getName().startsWith("relay-")).count());

        pool.getSpec().hostNetwork = true;
        assertEquals(2, TurnServiceDependent.build(pool).getSpec().getPorts().size());
    }

    @Test
    void statusUrlsUseThePublicHostWhenGiven() {
        var pool = Fixtures.pool("relays");
        pool.getSpec().publicHost = "turn.example.com";
        var svc = TurnServiceDependent.build(pool);
        assertEquals("turn.example.com", TurnPoolStatusFactory.host(pool, svc));
        pool.getSpec().publicHost = null;
        assertEquals("relays-turn.calls.svc", TurnPoolStatusFactory.host(pool, svc));
    }
}
