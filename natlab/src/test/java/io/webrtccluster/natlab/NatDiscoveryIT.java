package io.webrtccluster.natlab;

import java.time.Duration;
import java.util.List;

import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each emulated router is the NAT it claims to be, as an RFC 5780 client (coturn's natdiscovery) classifies it. */
@Tag(Tiers.NATLAB)
class NatDiscoveryIT {
    private static NatLab lab;
    private static Coturn coturn;

    @BeforeAll
    static void startLab() {
        long t0 = System.nanoTime();
        lab = NatLab.create(List.of(NatType.values()));
        System.out.printf("natlab: topology with %d sites up in %d ms%n", lab.sites().size(), (System.nanoTime() - t0) / 1_000_000);
        coturn = Coturn.start(lab.publicNet(), LabCoturn.config(3478).build());
    }

    @AfterAll
    static void stopLab() {
        if (coturn != null) {
            coturn.close();
        }
        if (lab != null) {
            long t0 = System.nanoTime();
            lab.close();
            System.out.printf("natlab: torn down in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
    }

    @ParameterizedTest
    @EnumSource(NatType.class)
    void routerBehavesAsItsNatType(NatType type) {
        Site site = lab.site(type, 0);
        Command discovery = Command.run(Duration.ofSeconds(20),
                site.client().wrap("timeout", "15", "turnutils_natdiscovery", "-m", "-f", NatLab.PUBLIC_IP));
        String out = discovery.output();
        assertTrue(out.contains("NAT with " + type.mapping + "!"), () -> type + " mapping, got:\n" + out);
        assertTrue(out.contains("NAT with " + type.filtering + "!"), () -> type + " filtering, got:\n" + out);
        // Without NAT the server sees the client's own address; behind a router, the router's.
        String reflexive = out.lines().filter(l -> l.contains("UDP reflexive addr:")).findFirst().orElseThrow()
                .replaceAll(".*UDP reflexive addr: *", "").replaceAll(":\\d+$", "");
        assertEquals(site.publicIp(), reflexive.trim(), () -> type + " reflexive address");
        System.out.printf("natlab: %-16s -> %s, %s (seen as %s)%n", type, type.mapping, type.filtering, reflexive.trim());
    }
}
