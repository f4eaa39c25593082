package io.webrtccluster.operator.it;

import io.webrtccluster.testing.Tiers;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test of the suite (its name matches neither *Test nor *IT): {@code operator/bench/rooms.sh}.
 * Same cluster, same run: the floor is N Deployments applied directly with kubectl (one apply) until all are
 * Available; then N Rooms applied the same way until all are Ready. Requests are the API server's own
 * {@code apiserver_request_total}, from every client (kubectl, controller-manager, scheduler, kwok, operator).
 */
@Tag(Tiers.CLUSTER)
class RoomsBench {
    static final int N = Integer.getInteger("bench.rooms", 200);

    @Test
    void roomsVersusDeploymentsFloor() {
        OperatorCluster oc = OperatorCluster.get();
        var k = oc.cluster;
        k.tryKubectlAs(k.kubeconfig(), null, "create", "namespace", "bench-floor");
        k.tryKubectlAs(k.kubeconfig(), null, "create", "namespace", "bench-rooms");
        // One kwok node holds 110 pods; 2N pods (floor + SFU workers) need more fake nodes (kwok manages all nodes).
        String nodes = IntStream.range(1, 4).mapToObj(i -> """
                apiVersion: v1
                kind: Node
                metadata:
                  name: kwok-bench-%d
                  annotations: {node.alpha.kubernetes.io/ttl: "0", kwok.x-k8s.io/node: fake}
                  labels: {kubernetes.io/hostname: kwok-bench-%d, kubernetes.io/os: linux, type: kwok}
                status:
                  allocatable: {cpu: "64", memory: 512Gi, pods: "250"}
                  capacity: {cpu: "64", memory: 512Gi, pods: "250"}
                """.formatted(i, i)).collect(Collectors.joining("---\n"));
        k.kubectlWithInput(nodes, "apply", "-f", "-");
        k.kubectl("wait", "--for=condition=Ready", "node", "--all", "--timeout=60s");
        settle();

        String deployments = IntStream.range(0, N).mapToObj(i -> """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: floor-%d}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: floor-%d}}
                  template:
                    metadata: {labels: {app: floor-%d}}
                    spec:
                      containers: [{name: c, image: registry.example/sfu-worker:bench}]
                """.formatted(i, i, i)).collect(Collectors.joining("---\n"));
        Map<String, Double> m0 = metrics(k);
        long t0 = System.nanoTime();
        k.kubectlWithInput(deployments, "apply", "-n", "bench-floor", "-f", "-");
        waitFor(k, "--for=condition=Available", "deployment", "bench-floor");
        double floorSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> m1 = metrics(k);

        String rooms = IntStream.range(0, N).mapToObj(i -> """
                apiVersion: webrtc-cluster.io/v1alpha1
                kind: Room
                metadata: {name: bench-%d}
                spec:
                  roomId: bench-%d
                  sfu: {minReplicas: 1, maxReplicas: 2, media: podIP}
                """.formatted(i, i)).collect(Collectors.joining("---\n"));
        long t1 = System.nanoTime();
        k.kubectlWithInput(rooms, "apply", "-n", "bench-rooms", "-f", "-");
        waitFor(k, "--for=condition=Ready", "room", "bench-rooms");
        double roomsSeconds = (System.nanoTime() - t1) / 1e9;
        Map<String, Double> m2 = metrics(k);

        // Quiet period: nothing changes, so nothing should be asked of the API server on the operator's behalf.
        sleep(Duration.ofSeconds(30));
        Map<String, Double> m3 = metrics(k);

        double floorReq = total(m1) - total(m0);
        double roomReq = total(m2) - total(m1);
        System.out.printf("%n=== RoomsBench N=%d ===%n", N);
        System.out.printf("floor: %d Deployments Available in %.1f s, %.0f API requests (%.1f per Deployment)%n",
                N, floorSeconds, floorReq, floorReq / N);
        System.out.printf("rooms: %d Rooms Ready in %.1f s, %.0f API requests (%.1f per Room)%n", N, roomsSeconds, roomReq, roomReq / N);
        System.out.printf("ratio: time %.2fx, requests %.2fx of the floor%n", roomsSeconds / floorSeconds, roomReq / floorReq);
        System.out.printf("requests during the Room phase by resource/verb: %s%n", byResource(m1, m2));
        System.out.printf("idle 30 s after: %.0f requests in total; on rooms: %.0f, deployments: %.0f, services: %.0f%n",
                total(m3) - total(m2), resource(m3, "rooms") - resource(m2, "rooms"),
                resource(m3, "deployments") - resource(m2, "deployments"), resource(m3, "services") - resource(m2, "services"));
    }

    /** kubectl wait (a watch, not polling), in rounds shorter than LocalCluster's 2 min kubectl limit. */
    static void waitFor(io.webrtccluster.testing.LocalCluster k, String condition, String kind, String ns) {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (true) {
            var r = k.tryKubectlAs(k.kubeconfig(), null, "wait", condition, kind, "--all", "-n", ns, "--timeout=90s");
            if (r.exit() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not all " + kind + " " + condition + " in " + ns + ": " + r.stderr());
            }
        }
    }

    /** apiserver_request_total series, keyed by their label set. */
    static Map<String, Double> metrics(io.webrtccluster.testing.LocalCluster k) {
        Map<String, Double> m = new TreeMap<>();
        for (String line : k.kubectl("get", "--raw", "/metrics").split("\n")) {
            if (line.startsWith("apiserver_request_total{")) {
                int sp = line.lastIndexOf(' ');
                m.merge(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)), Double::sum);
            }
        }
        return m;
    }

    static double total(Map<String, Double> m) {
        return m.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    static double resource(Map<String, Double> m, String resource) {
        return m.entrySet().stream().filter(e -> e.getKey().contains("resource=\"" + resource + "\""))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    static Map<String, Long> byResource(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((key, v) -> {
            double d = v - before.getOrDefault(key, 0.0);
            if (d > 0) {
                String res = label(key, "resource") + (label(key, "subresource").isEmpty() ? "" : "/" + label(key, "subresource"));
                out.merge(res + " " + label(key, "verb"), Math.round(d), Long::sum);
            }
        });
        out.values().removeIf(v -> v < N / 4);
        return out;
    }

    static String label(String series, String name) {
        int i = series.indexOf(name + "=\"");
        if (i < 0) {
            return "";
        }
        int s = i + name.length() + 2;
        return series.substring(s, series.indexOf('"', s));
    }

    static void settle() {
        sleep(Duration.ofSeconds(3));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
