package io.webrtccluster.operator.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.testing.Chromium;
import io.webrtccluster.testing.Tiers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import redis.clients.jedis.Jedis;

/**
 * The chart on a real node ({@code k8s/local-cluster/up.sh --node}): real pods from the images Maven built, Services
 * through kube-proxy, names through CoreDNS, browsers on the host through Traefik (the Ingress) and media to the SFU
 * pods on the node's address. The steps build on each other, like a person following the README.
 */
@Tag(Tiers.CLUSTER_NODE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SCRIPTS = ROOT.resolve("k8s/local-cluster");
    static final String HOST = "rooms.wrc.test";
    static final String NODE_IP = "10.87.0.2";
    static final String ROOM = "all-hands";
    static final Path CHART = ROOT.resolve("helm/webrtc-cluster");

    static Path state;
    static Path kubeconfig;
    static long roomAppliedAt;

    /** -Dwrc.node.state=DIR: use a node already up (up.sh --node DIR) with nothing installed yet, and leave it up. */
    static final String EXISTING = System.getProperty("wrc.node.state", "");

    @BeforeAll
    static void upWithARealNode() throws Exception {
        if (!EXISTING.isEmpty()) {
            state = Path.of(EXISTING);
            kubeconfig = state.resolve("kubeconfig");
            return;
        }
        for (String m : List.of("operator", "signaling-service", "sfu-worker")) {
            Path image = ROOT.resolve(m + "/target/image/" + m + ".oci.tar");
            assertTrue(Files.exists(image), image + " missing: build the images first (mvn package -Pimages)");
        }
        run(Duration.ofMinutes(60), SCRIPTS.resolve("install.sh").toString(), "--node");
        state = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "real-node-");
        long t0 = System.nanoTime();
        run(Duration.ofMinutes(5), SCRIPTS.resolve("up.sh").toString(), "--node", state.toString());
        report("up.sh --node (control plane, node Ready, images imported, Traefik ready)", t0);
        kubeconfig = state.resolve("kubeconfig");
    }

    @AfterAll
    static void down() throws Exception {
        if (state != null && EXISTING.isEmpty()) {
            run(Duration.ofMinutes(3), SCRIPTS.resolve("down.sh").toString(), state.toString());
        }
    }

    @Test
    @Order(1)
    void helmInstallBringsEveryPartToReadyAndHelmTestJoinsARoom() throws Exception {
        long t0 = System.nanoTime();
        new Helm(CHART).install().withName("rtc").withNamespace("default").withKubeConfig(kubeconfig)
                .withValuesFile(SCRIPTS.resolve("values-local.yaml")).waitReady().withTimeout(480).call();
        report("helm install -> all Ready", t0);
        // operator x2, signaling x2, Redis, the SFU pool, the TurnPool's coturn (made by the operator: wait for it too)
        kubectl("rollout", "status", "daemonset/relays-coturn", "--timeout=180s");
        report("... and the TurnPool's coturn Ready", t0);
        for (String d : List.of("webrtc-cluster-operator", "signaling", "rtc-redis", "rtc-sfu-pool")) {
            assertTrue(kubectl("get", "deployment", d, "-o", "jsonpath={.status.readyReplicas}/{.spec.replicas}")
                    .matches("(\\d+)/\\1"), d + " ready");
        }
        assertEquals("2", kubectl("get", "deployment", "signaling", "-o", "jsonpath={.status.readyReplicas}"));
        // Throws when the test pod fails (it stays, with its logs); a passed one is deleted.
        Helm.test("rtc").withNamespace("default").withKubeConfig(kubeconfig).withTimeout(180).call();
        assertEquals("", kubectl("get", "pods", "-l", "!app.kubernetes.io/name", "--field-selector=status.phase=Failed", "-o", "name"));
    }

    @Test
    @Order(2)
    void declaredRoomGoesReadyAndItsWorkersRegisterInRedis() throws Exception {
        // The example Room, switched to SFU from the first join so the browsers below go through the SFU pods.
        String room = Files.readString(ROOT.resolve("k8s/examples/room.yaml")).replace("topology: auto ", "topology: sfu  ");
        roomAppliedAt = System.nanoTime();
        kubectlIn(room, "apply", "-f", "-");
        kubectl("wait", "room/" + ROOM, "--for=condition=Ready", "--timeout=180s");
        report("kubectl apply Room -> Ready", roomAppliedAt);
        String pod = kubectl("get", "pods", "-l", "webrtc-cluster.io/room=" + ROOM, "-o", "jsonpath={.items[0].metadata.name}");
        try (Jedis redis = redis()) {
            Map<String, String> worker = redis.hgetAll(RedisKeys.sfuWorker(pod));
            assertEquals(ROOM, worker.get("room"), "the worker registered for its room: " + worker);
        }
    }

    @Test
    @Order(3)
    void browsersThroughTheIngressDecodeEachOtherThroughTheSfuPods() {
        try (Page ann = Page.join(ROOM, "ann", ""); Page ben = Page.join(ROOM, "ben", "")) {
            ann.awaitDecodingFrom(1, Duration.ofSeconds(60));
            report("kubectl apply Room -> first decoded frame in the browser", roomAppliedAt);
            ben.awaitDecodingFrom(1, Duration.ofSeconds(60));
            try (Page cat = Page.join(ROOM, "cat", "")) {
                for (Page p : List.of(ann, ben, cat)) {
                    p.awaitDecodingFrom(2, Duration.ofSeconds(60));
                }
                assertEquals("sfu", ann.report().get("topology"), ann.diagnostics());
            }
        }
    }

    @Test
    @Order(4)
    void relayOnlyMeshRoomGoesThroughTheCoturnPod() {
        try (Page ann = Page.join("relayed", "ann", "relay=1"); Page ben = Page.join("relayed", "ben", "relay=1")) {
            ann.awaitDecodingFrom(1, Duration.ofSeconds(60));
            ben.awaitDecodingFrom(1, Duration.ofSeconds(60));
            assertTrue(ann.diagnostics().contains("relay"), ann.diagnostics());
        }
    }

    @Test
    @Order(5)
    void deletedSfuPodMidCallMediaComesBackOnAnotherWorkerWithinFiveSeconds() {
        try (Page ann = Page.join(ROOM, "ann", ""); Page ben = Page.join(ROOM, "ben", "")) {
            ann.awaitDecodingFrom(1, Duration.ofSeconds(60));
            ben.awaitDecodingFrom(1, Duration.ofSeconds(60));
            String worker;
            try (Jedis redis = redis()) {
                worker = redis.get(RedisKeys.roomSfuWorker(ROOM));
            }
            long t0 = System.nanoTime();
            // What a person or a node drain does: the kubelet sends SIGTERM; the worker announces its drain.
            kubectl("delete", "pod", worker, "--wait=false");
            // Back when both decode again from a reset transport (frames counted afresh) on a worker that is not the deleted one.
            await("media back after " + worker + " was deleted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ann.events().contains("sfu-reset") && ben.events().contains("sfu-reset")
                            && ann.decodesFrom(1) && ben.decodesFrom(1));
            double seconds = (System.nanoTime() - t0) / 1e9;
            report("SFU pod deleted -> media back in both browsers", t0);
            try (Jedis redis = redis()) {
                assertTrue(!worker.equals(redis.get(RedisKeys.roomSfuWorker(ROOM))), "moved to another worker");
            }
            assertTrue(seconds <= 5, "media back " + seconds + " s after the pod's deletion; goal 5 s");
            // Its participants moved, so its drain ends early: the pod goes long before terminationGracePeriodSeconds.
            await(worker + " gone").atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(250)).until(() ->
                    kubectl("get", "pods", "-l", "webrtc-cluster.io/room=" + ROOM, "-o", "name").lines().noneMatch(l -> l.endsWith("/" + worker)));
            report("SFU pod deleted -> pod gone", t0);
        }
    }

    @Test
    @Order(6)
    void helmUpgradeToANewSignalingImageRollsWithoutALeaveJoinStorm() {
        String image = "ghcr.io/webrtc-cluster/signaling-service:0.1.0-SNAPSHOT";
        run(Duration.ofMinutes(1), "ctr", "-a", state.resolve("node/containerd/containerd.sock").toString(), "-n", "k8s.io",
                "images", "tag", "--force", image, image + "-next");
        try (Page ann = Page.join(ROOM, "ann", ""); Page ben = Page.join(ROOM, "ben", "")) {
            ann.awaitDecodingFrom(1, Duration.ofSeconds(60));
            ben.awaitDecodingFrom(1, Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            new Helm(CHART).upgrade().withName("rtc").withNamespace("default").withKubeConfig(kubeconfig)
                    .withValuesFile(SCRIPTS.resolve("values-local.yaml")).set("signaling.image", image + "-next")
                    .waitReady().withTimeout(480).call();
            report("helm upgrade signaling (rolling)", t0);
            assertEquals(image + "-next", kubectl("get", "deployment", "signaling", "-o",
                    "jsonpath={.spec.template.spec.containers[0].image}"));
            // helm --wait returns when the new replicas are ready; the old ones are still draining: wait them out.
            await("old signaling replicas gone").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    kubectl("get", "pods", "-l", "app.kubernetes.io/name=signaling", "-o",
                            "jsonpath={range .items[*]}{.spec.containers[0].image}{\"\\n\"}{end}").lines()
                            .allMatch(l -> l.equals(image + "-next")));
            report("helm upgrade signaling -> old replicas gone", t0);
            ann.awaitDecodingFrom(1, Duration.ofSeconds(30));
            ben.awaitDecodingFrom(1, Duration.ofSeconds(30));
            assertTrue(!ann.events().contains("participant-left") && !ben.events().contains("participant-left"),
                    "no leave/join storm: " + ann.events() + " / " + ben.events());
        }
    }

    @Test
    @Order(9)
    void helmUninstallLeavesOnlyTheCrds() throws Exception {
        // No manual clean-up first: the chart's pre-delete hook deletes the namespace's Rooms and TurnPools and waits
        // while the operator, still there, finalizes them; then Helm deletes the rest.
        assertTrue(!kubectl("get", "rooms,turnpools", "-o", "name").isEmpty(), "something to clean up");
        long t0 = System.nanoTime();
        Helm.uninstall("rtc").withNamespace("default").withKubeConfig(kubeconfig).call();
        report("helm uninstall (pre-delete hook included)", t0);
        await("release's objects gone").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() ->
                kubectl("get", "deployments,daemonsets,statefulsets,jobs,services,secrets,configmaps,serviceaccounts,"
                                + "roles,rolebindings,pdb,ingresses,pods,turnpools,rooms", "-n", "default", "-o", "name").lines()
                        .filter(l -> !l.equals("service/kubernetes") && !l.equals("configmap/kube-root-ca.crt")
                                && !l.equals("serviceaccount/default")).toList().isEmpty());
        report("helm uninstall -> nothing of the release left", t0);
        assertEquals("", kubectl("get", "rooms,turnpools", "-A", "-o", "name"), "no custom resources left anywhere");
        String crds = kubectl("get", "crd", "-o", "name");
        assertTrue(crds.contains("rooms.webrtc-cluster.io") && crds.contains("turnpools.webrtc-cluster.io"), crds);
        String left = kubectl("get", "clusterroles,clusterrolebindings", "-o", "name");
        assertTrue(!left.contains("webrtc-cluster-operator"), left);
    }

    // --- helpers --------------------------------------------------------------------------------------------

    static Jedis redis() {
        String ip = kubectl("get", "service", "rtc-redis", "-o", "jsonpath={.spec.clusterIP}");
        return new Jedis(ip, 6379); // the host routes Service addresses to the node
    }

    static void report(String what, long startNanos) {
        System.out.printf("[real-node] %s: %.1f s%n", what, (System.nanoTime() - startNanos) / 1e9);
    }

    static String kubectl(String... args) {
        return kubectlIn(null, args);
    }

    static String kubectlIn(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        cmd.addAll(List.of(args));
        return runIn(stdin, Duration.ofMinutes(4), cmd.toArray(String[]::new)).strip();
    }

    static String run(Duration timeout, String... cmd) {
        return runIn(null, timeout, cmd);
    }

    static String runIn(String stdin, Duration timeout, String... cmd) {
        try {
            Path out = Files.createTempFile("real-node-", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " timed out:\n" + Files.readString(out));
            }
            String output = Files.readString(out);
            Files.delete(out);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Headless Chromium on the host, on the demo page served through the Ingress (the WebSocket too). */
    static final class Page implements AutoCloseable {
        final ChromeDriver driver;
        final String name;

        Page(ChromeDriver driver, String name) {
            this.driver = driver;
            this.name = name;
        }

        static Page join(String room, String name, String extraQuery) {
            ChromeDriver d = Chromium.launch(Path.of("/usr/bin/chromium"), List.of(
                    "--host-resolver-rules=MAP " + HOST + " " + NODE_IP,
                    // getUserMedia needs a secure context; the local Ingress has no certificate.
                    "--unsafely-treat-insecure-origin-as-secure=http://" + HOST));
            d.get("http://" + HOST + "/?autojoin=1&room=" + room + "&name=" + name + (extraQuery.isEmpty() ? "" : "&" + extraQuery));
            return new Page(d, name);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> report() {
            return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "window.wrcDemo.mediaReport().then(done, e => done({error: String(e)}));");
        }

        void awaitDecodingFrom(int peers, Duration within) {
            try {
                await(name + " decodes " + peers).atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> decodesFrom(peers));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
            }
        }

        String events() {
            return String.valueOf(((JavascriptExecutor) driver).executeScript("return JSON.stringify(window.wrcDemo.events)"));
        }

        @SuppressWarnings("unchecked")
        boolean decodesFrom(int peers) {
            Object p = report().get("peers");
            Map<String, Map<String, Object>> all = p == null ? Map.of() : (Map<String, Map<String, Object>>) p;
            return all.size() == peers && all.values().stream().allMatch(s ->
                    number(s.get("videoFramesDecoded")) > 0 && number(s.get("audioBytesReceived")) > 0);
        }

        String diagnostics() {
            try {
                return name + ": report=" + report() + " errors="
                        + ((JavascriptExecutor) driver).executeScript("return JSON.stringify(window.wrcDemo.errors)");
            } catch (RuntimeException e) {
                return name + ": no diagnostics (" + e.getMessage() + ")";
            }
        }

        static double number(Object o) {
            return o instanceof Number n ? n.doubleValue() : 0;
        }

        @Override
        public void close() {
            driver.quit();
        }
    }
}
