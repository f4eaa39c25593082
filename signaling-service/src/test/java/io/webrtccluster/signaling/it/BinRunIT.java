package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.testing.FreePort;
import io.webrtccluster.testing.ManagedProcess;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the README tells a new user to do: {@code bin/run --sfu}, open the URL in three tabs and join;
 * the room moves onto the local SFU while the call goes on, and back to mesh when one tab leaves.
 */
@Tag(Tiers.BROWSER)
class BinRunIT {

    @Test
    void threeTabsOnBinRunWithItsLocalWorkerSeeTheRoomMoveToTheSfuAndBack() throws Exception {
        int port = FreePort.tcp();
        Map<String, String> env = Map.of("PORT", Integer.toString(port), "REDIS_PORT", Integer.toString(FreePort.tcp()),
                "WORKER_HTTP_PORT", Integer.toString(FreePort.tcp()), "SFU_UDP_PORT", Integer.toString(FreePort.udp()));
        try (ManagedProcess run = ManagedProcess.start("bin-run", List.of(ServiceProcess.repoRoot().resolve("bin/run").toString(),
                "--sfu"), env)) {
            await("bin/run prints the URL once the server answers").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !run.isAlive() || run.logText().contains("webrtc-cluster is running"));
            assertTrue(run.isAlive(), "bin/run --sfu is running:\n" + run.logText());
            // The URL it printed answers right away.
            String url = "http://127.0.0.1:" + port;
            assertTrue(run.logText().contains(url + "/?room=lobby"), run.logText());
            ServiceProcess.get(url + "/q/health/ready");
            try (DemoPage a = DemoPage.join(url, "lobby", "tab1", null);
                 DemoPage b = DemoPage.join(url, "lobby", "tab2", null)) {
                a.awaitDecodingFrom(1, Duration.ofSeconds(30));
                b.awaitDecodingFrom(1, Duration.ofSeconds(30));
                try (DemoPage c = DemoPage.join(url, "lobby", "tab3", null)) {
                    for (DemoPage p : List.of(a, b, c)) {
                        TopologySwitchIT.awaitTopology(p, "sfu", Duration.ofSeconds(30));
                        p.awaitDecodingFrom(2, Duration.ofSeconds(30));
                    }
                    assertTrue(String.valueOf(a.script("return document.getElementById('switch').textContent")).contains("mesh → sfu"),
                            "the page shows the switch");
                }
                for (DemoPage p : List.of(a, b)) {
                    TopologySwitchIT.awaitTopology(p, "mesh", Duration.ofSeconds(30)); // after the 10 s hysteresis
                    p.awaitDecodingFrom(1, Duration.ofSeconds(15));
                }
            }
        }
    }
}
