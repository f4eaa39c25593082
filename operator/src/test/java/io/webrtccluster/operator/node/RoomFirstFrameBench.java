package io.webrtccluster.operator.node;

import static org.awaitility.Awaitility.await;

import io.webrtccluster.contracts.store.RedisKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import redis.clients.jedis.Jedis;

/**
 * {@code kubectl apply} of the example Room → first decoded frame in a browser through the Ingress, split into its
 * steps, on a node that is up with the chart installed (k8s/local-cluster/bench/node-timings.sh sets that up).
 * Each run applies the Room (switched to SFU, as RealNodeIT does), follows the Deployment, the pod and the Room with
 * kubectl watches (local arrival times, ms), the worker's registration in Redis (polled every 50 ms) and the JVM's
 * own log (container log timestamps), then joins two headless Chromiums the way RealNodeIT does and reads the page's
 * clock (navigation, join, first presented frame); then deletes the Room and waits for its pods to go.
 * {@code -Dwrc.node.state=DIR -Dbench.runs=3 -Dbench.parallel-browsers=true}
 */
@Tag("cluster-node-bench")
class RoomFirstFrameBench {
    static final String ROOM = RealNodeIT.ROOM;
    static final String SELECTOR = "webrtc-cluster.io/room=" + ROOM;

    @Test
    void applyToFirstFrame() throws Exception {
        RealNodeIT.state = Path.of(System.getProperty("wrc.node.state"));
        RealNodeIT.kubeconfig = RealNodeIT.state.resolve("kubeconfig");
        int runs = Integer.getInteger("bench.runs", 3);
        // Like RealNodeIT: ann's Chromium, then ben's. -Dbench.parallel-browsers=true launches both at once.
        boolean parallel = Boolean.getBoolean("bench.parallel-browsers");
        String room = Files.readString(RealNodeIT.ROOT.resolve("k8s/examples/room.yaml")).replace("topology: auto ", "topology: sfu  ");
        List<Map<String, Double>> all = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            RealNodeIT.kubectl("delete", "room", ROOM, "--ignore-not-found", "--wait=true");
            await("previous workers gone").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> RealNodeIT.kubectl("get", "pods", "-l", SELECTOR, "-o", "name").isEmpty());
            Thread.sleep(2000);
            Watch deployments = new Watch("deployments", "-l", SELECTOR);
            Watch pods = new Watch("pods", "-l", SELECTOR, "-o",
                    "jsonpath={.metadata.name} node={.spec.nodeName} running={.status.containerStatuses[0].state.running.startedAt}"
                            + " ready={.status.containerStatuses[0].ready}{\"\\n\"}");
            Watch rooms = new Watch("rooms", "-o",
                    "jsonpath={.metadata.name} ready={.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}");
            Thread.sleep(1500); // the watches are established

            Map<String, Double> t = new LinkedHashMap<>();
            long t0 = System.currentTimeMillis();
            RealNodeIT.kubectlIn(room, "apply", "-f", "-");
            t.put("kubectl apply returned", ms(t0));
            String pod = await("the Room's pod").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> pods.first(l -> l.contains(" node=")).map(l -> l.split(" ")[0]).orElse(null), p -> p != null);
            long registered = 0;
            try (Jedis redis = RealNodeIT.redis()) {
                long deadline = System.currentTimeMillis() + 120_000;
                while (registered == 0 && System.currentTimeMillis() < deadline) {
                    if (redis.exists(RedisKeys.sfuWorker(pod))) {
                        registered = System.currentTimeMillis();
                    } else {
                        Thread.sleep(50);
                    }
                }
            }
            RealNodeIT.kubectl("wait", "room/" + ROOM, "--for=condition=Ready", "--timeout=180s");
            long readySeen = System.currentTimeMillis();

            long launch = System.currentTimeMillis();
            List<RealNodeIT.Page> pages = new ArrayList<>();
            try {
                if (parallel) {
                    var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> RealNodeIT.Page.join(ROOM, "ann", ""));
                    var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> RealNodeIT.Page.join(ROOM, "ben", ""));
                    try {
                        pages.add(a.join());
                        pages.add(b.join());
                    } catch (RuntimeException e) {
                        a.thenAccept(RealNodeIT.Page::close);
                        b.thenAccept(RealNodeIT.Page::close);
                        throw e;
                    }
                } else {
                    pages.add(RealNodeIT.Page.join(ROOM, "ann", ""));
                    pages.add(RealNodeIT.Page.join(ROOM, "ben", ""));
                }
                long joinedPages = System.currentTimeMillis();
                RealNodeIT.Page ann = pages.get(0);
                await("ann decodes ben").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> ann.decodesFrom(1));
                long decoded = System.currentTimeMillis();
                Map<String, Object> clock = pageClock(ann);

                t.put("Deployment created", deployments.firstAt(l -> true) - t0 / 1.0);
                t.put("pod created", pods.firstAt(l -> true) - t0 / 1.0);
                t.put("pod bound to the node", pods.firstAt(l -> l.startsWith(pod + " ") && !l.contains("node= ")) - t0 / 1.0);
                t.put("container running (watch)", pods.firstAt(l -> l.startsWith(pod + " ") && !l.contains("running= ")) - t0 / 1.0);
                Map<String, Long> log = logTimes(pod);
                log.forEach((k, v) -> t.put(k, (double) (v - t0)));
                t.put("worker registered in Redis", (double) (registered - t0));
                t.put("pod Ready (watch)", pods.firstAt(l -> l.startsWith(pod + " ") && l.contains("ready=true")) - t0 / 1.0);
                t.put("Room Ready (watch)", rooms.firstAt(l -> l.startsWith(ROOM + " ") && l.contains("ready=True")) - t0 / 1.0);
                t.put("Room Ready (kubectl wait returned)", (double) (readySeen - t0));
                t.put("browser launch started", (double) (launch - t0));
                t.put("ann: page navigation started", ((Number) clock.get("timeOrigin")).doubleValue() - t0);
                t.put("both pages loaded", (double) (joinedPages - t0));
                if (clock.get("joinAt") != null) {
                    t.put("ann: join started (page clock)", ((Number) clock.get("joinAt")).doubleValue() - t0);
                }
                if (clock.get("firstFrameAt") != null) {
                    t.put("ann: first frame presented (page clock)", ((Number) clock.get("firstFrameAt")).doubleValue() - t0);
                }
                t.put("ann: decodes ben (getStats poll)", (double) (decoded - t0));
                System.out.printf("[first-frame] run %d (%s browsers), ms after kubectl apply; load %s%n", run,
                        parallel ? "parallel" : "sequential", Files.readString(Path.of("/proc/loadavg")).strip());
                t.forEach((k, v) -> System.out.printf("[first-frame]   %8.0f  %s%n", v, k));
                System.out.printf("[first-frame]   ann events: %s%n", ann.events());
                all.add(t);
            } finally {
                pages.forEach(RealNodeIT.Page::close);
                deployments.close();
                pods.close();
                rooms.close();
            }
        }
        RealNodeIT.kubectl("delete", "room", ROOM, "--ignore-not-found", "--wait=true");
        System.out.printf("[first-frame] median (min-max) over %d runs, ms after kubectl apply%n", all.size());
        for (String k : all.get(0).keySet()) {
            List<Double> v = all.stream().map(m -> m.get(k)).filter(x -> x != null).sorted().toList();
            System.out.printf("[first-frame]   %8.0f (%.0f-%.0f)  %s%n", v.get(v.size() / 2), v.get(0), v.get(v.size() - 1), k);
        }
    }

    static double ms(long t0) {
        return System.currentTimeMillis() - t0;
    }

    /** Wall-clock times (epoch ms) from the page: navigation start, join start and ann's first presented frame of ben. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> pageClock(RealNodeIT.Page page) {
        return (Map<String, Object>) ((JavascriptExecutor) page.driver).executeScript("""
                const d = window.wrcDemo, out = {timeOrigin: performance.timeOrigin};
                let first = null;
                for (const [key, times] of Object.entries(d.pathFrames || {})) {
                  if (times.length && (first == null || times[0] < first)) first = times[0];
                }
                if (first != null) out.firstFrameAt = performance.timeOrigin + first;
                for (const id of Object.keys(d.pathFrames || {}).map(k => k.split('/')[0])) {
                  const ms = d.firstFrameMs(id);
                  if (ms != null && first != null) { out.joinAt = out.firstFrameAt - ms; break; }
                }
                return out;""");
    }

    /** The JVM's own milestones, from the container log's timestamps. */
    static Map<String, Long> logTimes(String pod) {
        Map<String, Long> out = new LinkedHashMap<>();
        String log = RealNodeIT.kubectl("logs", pod, "--timestamps");
        List<String> lines = log.lines().toList();
        if (!lines.isEmpty()) {
            out.put("JVM: first log line", Instant.parse(lines.get(0).split(" ")[0]).toEpochMilli());
        }
        lines.stream().filter(l -> l.contains("started in")).findFirst()
                .ifPresent(l -> out.put("JVM: Quarkus started", Instant.parse(l.split(" ")[0]).toEpochMilli()));
        return out;
    }

    /** A kubectl watch whose lines are stamped with their arrival time. */
    static final class Watch implements AutoCloseable {
        final Process process;
        final List<Map.Entry<Long, String>> lines = new CopyOnWriteArrayList<>();

        Watch(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", RealNodeIT.kubeconfig.toString(), "get"));
            cmd.addAll(List.of(args));
            if (!cmd.contains("-o")) {
                cmd.addAll(List.of("-o", "jsonpath={.metadata.name}{\"\\n\"}"));
            }
            cmd.add("--watch");
            process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(Map.entry(System.currentTimeMillis(), l));
                    }
                } catch (java.io.IOException ignored) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        java.util.Optional<String> first(Predicate<String> p) {
            return lines.stream().map(Map.Entry::getValue).filter(p).findFirst();
        }

        double firstAt(Predicate<String> p) {
            return lines.stream().filter(e -> p.test(e.getValue())).findFirst().map(e -> (double) e.getKey()).orElse(Double.NaN);
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
