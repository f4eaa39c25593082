package io.webrtccluster.signaling.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;

/**
 * Legitimate join latency on a replica that 2,000 hostile idle sockets (never joining, re-opened as soon as
 * the join timeout closes them, 50 per address from 40 addresses) sit on, against an idle replica in the
 * same run (bench/hostile.sh; not part of the test suite). Joins alternate between the two replicas so both
 * see the same machine load; several rounds give the spread.
 */
public final class HostileBench {
    static final int HOSTILE = Integer.getInteger("bench.hostile-sockets", 2000);
    static final int PER_ADDRESS = 50;
    static final int JOINS = Integer.getInteger("bench.joins", 400);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpClient legit = vertx.createHttpClient(new HttpClientOptions().setMaxWebSockets(10_000));
        try (RedisServer redis = RedisServer.start();
             ServiceProcess idle = SignalingReplica.start(redis, "hostile-bench-idle");
             ServiceProcess attacked = SignalingReplica.start(redis, "hostile-bench-attacked")) {
            System.out.printf("replica descriptor limit (Max open files, soft): %s; per-replica socket cap is that minus 256%n",
                    openFilesLimit(attacked.process().pid()));
            Hostiles hostiles = new Hostiles(vertx, attacked, HOSTILE);
            hostiles.fill();
            System.out.printf("== %,d hostile idle sockets held (%,d refused or failed) on the attacked replica (re-opened when the join timeout closes them)%n",
                    hostiles.open.get(), hostiles.refused.get());
            System.out.println("warm-up round (not counted)");
            round(legit, idle, attacked, 0);
            double[] ratios = new double[ROUNDS];
            for (int r = 1; r <= ROUNDS; r++) {
                ratios[r - 1] = round(legit, idle, attacked, r);
                System.out.printf("   hostile sockets open now: %,d (refused so far by caps: %,d)%n", hostiles.open.get(), hostiles.refused.get());
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            System.out.printf("join p99 attacked/idle over %d rounds: median %.2fx, min %.2fx, max %.2fx (goal < 2x)%n",
                    ROUNDS, sorted[ROUNDS / 2], sorted[0], sorted[ROUNDS - 1]);
            hostiles.stop();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** One round: JOINS joins on each replica, alternating; prints p50/p99; returns p99 attacked / p99 idle. */
    static double round(HttpClient http, ServiceProcess idle, ServiceProcess attacked, int round) throws Exception {
        List<Double> onIdle = new ArrayList<>();
        List<Double> onAttacked = new ArrayList<>();
        for (int i = 0; i < JOINS; i++) {
            onIdle.add(joinMs(http, idle, "bench-" + round + "-" + (i / 10), "i" + i));
            onAttacked.add(joinMs(http, attacked, "bench-" + round + "-" + (i / 10), "a" + i));
        }
        double[] a = sorted(onIdle);
        double[] b = sorted(onAttacked);
        double ratio = SignalingBench.pct(b, 99) / SignalingBench.pct(a, 99);
        if (round > 0) {
            System.out.printf("round %d: idle replica join p50 %.2f ms p99 %.2f ms | attacked p50 %.2f ms p99 %.2f ms | p99 ratio %.2fx%n",
                    round, SignalingBench.pct(a, 50), SignalingBench.pct(a, 99), SignalingBench.pct(b, 50), SignalingBench.pct(b, 99), ratio);
        }
        return ratio;
    }

    /** Connect, join, "joined": the time a user waits; then a clean leave. */
    static double joinMs(HttpClient http, ServiceProcess replica, String room, String identity) throws Exception {
        long t0 = System.nanoTime();
        io.vertx.core.http.WebSocket ws = SignalingBench.join(http, replica, room, identity, m -> { }).get(60, TimeUnit.SECONDS);
        double ms = (System.nanoTime() - t0) / 1e6;
        ws.close((short) 1000);
        return ms;
    }

    static double[] sorted(List<Double> l) {
        double[] a = l.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    static String openFilesLimit(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc/" + pid + "/limits")).stream().filter(l -> l.startsWith("Max open files"))
                .map(l -> l.replaceAll("\\s+", " ").replace("Max open files ", "")).findFirst().orElse("?");
    }

    /** Sockets that upgrade and then say nothing, from 127.0.0.2 upwards, each re-opened when closed. */
    static final class Hostiles {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        private final List<HttpClient> clients = new ArrayList<>();
        private final ServiceProcess target;
        private final int total;
        private volatile boolean running = true;

        Hostiles(Vertx vertx, ServiceProcess target, int total) {
            this.target = target;
            this.total = total;
            for (int a = 0; a < (total + PER_ADDRESS - 1) / PER_ADDRESS; a++) {
                clients.add(vertx.createHttpClient(new HttpClientOptions().setMaxWebSockets(PER_ADDRESS * 2)
                        .setLocalAddress("127.0.0." + (2 + a))));
            }
        }

        void fill() throws Exception {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                all.add(openOne(clients.get(i / PER_ADDRESS)));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }

        private CompletableFuture<Void> openOne(HttpClient client) {
            CompletableFuture<Void> opened = new CompletableFuture<>();
            client.webSocket(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(target.port()).setURI("/v1/signal"))
                    .onFailure(e -> {
                        if (refused.incrementAndGet() <= 3) {
                            System.out.println("  hostile socket not opened: " + e.getMessage());
                        }
                        opened.complete(null);
                    })
                    .onSuccess(ws -> {
                        open.incrementAndGet();
                        ws.closeHandler(v -> {
                            open.decrementAndGet();
                            if (running) {
                                openOne(client);
                            }
                        });
                        opened.complete(null);
                    });
            return opened;
        }

        void stop() {
            running = false;
        }
    }

    /** A replica as the signaling bench starts it (same JVM flags, Redis, secret). */
    static final class SignalingReplica {
        static ServiceProcess start(RedisServer redis, String name) {
            return ServiceProcess.start("signaling-service", name, Map.of("wrc.redis.url", redis.url(),
                    "wrc.auth.token-secret", SignalingBench.SECRET, "wrc.replica-id", name,
                    ServiceProcess.JVM_ARGS, "-Xmx512m -XX:+UseParallelGC"));
        }
    }
}
