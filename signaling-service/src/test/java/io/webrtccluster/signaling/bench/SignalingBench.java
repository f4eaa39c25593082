package io.webrtccluster.signaling.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.webrtccluster.signaling.token.JoinToken;
import io.webrtccluster.signaling.token.JoinTokenSigner;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;

/**
 * Signaling benchmarks (run with bench/signaling.sh, not part of the test suite):
 * <ol>
 *   <li>cross-replica relay latency at 1,000 messages/s (client on replica 1 -> client on replica 2),
 *       against a raw Redis pub/sub round trip measured the same way in the same run;</li>
 *   <li>joins per second one replica sustains with Redis;</li>
 *   <li>idle WebSocket sessions one replica holds, with its RSS.</li>
 * </ol>
 */
public final class SignalingBench {
    /**
     * Seconds of unmeasured traffic first, at the same rate, so both sides are measured warm. The replicas' C2
     * compiler needs ~15 s of this traffic on 2 cores; with 5 s the relay's p99 still carried JIT stalls.
     */
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 20);
    /** Messages sent before this (System.nanoTime) are warm-up: same shape and path, not counted. */
    static volatile long measureFrom;
    static final String SECRET = "bench-secret-0123456789-0123456789-0123456789";
    static final JoinTokenSigner TOKENS = new JoinTokenSigner(SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofHours(2), Clock.systemUTC());

    public static void main(String[] args) throws Exception {
        int idleSessions = args.length > 0 ? Integer.parseInt(args[0]) : 19_000;
        Vertx vertx = Vertx.vertx();
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setMaxWebSockets(100_000).setMaxPoolSize(100_000));
        try (RedisServer redis = RedisServer.start();
             ServiceProcess r1 = replica(redis, "bench-r1");
             ServiceProcess r2 = replica(redis, "bench-r2")) {
            System.out.printf("== cross-replica relay latency at 1,000 msg/s (20 sender/receiver pairs x 50 msg/s, 10 s measured after %d s warm-up)%n",
                    WARMUP_SECONDS);
            double[] raw = rawPubSub(vertx, redis, 1000, 10);
            double[] relay = relay(http, r1, r2, 1000, 10);
            System.out.printf("raw Redis pub/sub   p50 %.3f ms  p99 %.3f ms  (n=%d)%n", pct(raw, 50), pct(raw, 99), raw.length);
            System.out.printf("signaling relay     p50 %.3f ms  p99 %.3f ms  (n=%d)%n", pct(relay, 50), pct(relay, 99), relay.length);
            System.out.printf("relay p99 / raw p99 = %.2fx%n", pct(relay, 99) / pct(raw, 99));
            if (Boolean.getBoolean("bench.relay-only")) {
                return;
            }

            System.out.println("== joins per second, one replica with Redis (64 in flight)");
            List<WebSocket> joined = new ArrayList<>();
            long t0 = System.nanoTime();
            int joins = joinMany(http, r1, 5000, 64, "joins", joined);
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d joins in %.2f s = %.0f joins/s%n", joins, secs, joins / secs);
            closeAll(joined);
            Thread.sleep(2000);

            System.out.printf("== %,d idle sessions on one replica%n", idleSessions);
            long rssBefore = rssKb(r2.process().pid());
            List<WebSocket> idle = new ArrayList<>();
            int held = joinMany(http, r2, idleSessions, 64, "idle", idle);
            Thread.sleep(8000); // let heartbeats for all of them run a couple of times
            long rss = rssKb(r2.process().pid());
            System.out.printf("%,d sessions joined and held; replica RSS %,d MiB (idle replica before: %,d MiB); %.1f KiB per session%n",
                    held, rss / 1024, rssBefore / 1024, (rss - rssBefore) / (double) held);
            closeAll(idle);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static ServiceProcess replica(RedisServer redis, String name) {
        Map<String, String> props = new java.util.HashMap<>(Map.of("wrc.redis.url", redis.url(),
                "wrc.auth.token-secret", SECRET, "wrc.replica-id", name, ServiceProcess.JVM_ARGS,
                System.getProperty("bench.replica-jvm", "-Xmx512m_-XX:+UseParallelGC").replace('_', ' '),
                // Every bench socket comes from 127.0.0.1: one address holding 19,000 sessions is the point here.
                "wrc.limits.connections-per-address", "1000000"));
        for (String kv : System.getProperty("bench.replica-config", "").split(",")) {
            if (kv.contains("=")) {
                props.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return ServiceProcess.start("signaling-service", name, props);
    }

    /** PUBLISH on one connection, receive on a subscriber connection; latency from send to receive. */
    static double[] rawPubSub(Vertx vertx, RedisServer redis, int perSecond, int seconds) throws Exception {
        Redis client = Redis.createClient(vertx, redis.url());
        RedisConnection sub = client.connect().toCompletionStage().toCompletableFuture().get();
        RedisConnection pub = Redis.createClient(vertx, redis.url()).connect().toCompletionStage().toCompletableFuture().get();
        ConcurrentLinkedQueue<Double> lat = new ConcurrentLinkedQueue<>();
        int total = perSecond * seconds;
        CountDownLatch done = new CountDownLatch(total);
        sub.handler(r -> {
            if (r.size() >= 3 && "message".equals(r.get(0).toString())) {
                long now = System.nanoTime();
                long sent = Long.parseLong(r.get(2).toString());
                if (sent >= measureFrom) {
                    lat.add((now - sent) / 1e6);
                    done.countDown();
                }
            }
        });
        sub.send(Request.cmd(Command.SUBSCRIBE).arg("bench")).toCompletionStage().toCompletableFuture().get();
        measureFrom = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        try (WakeupProbe probe = new WakeupProbe()) {
            paced(total + WARMUP_SECONDS * perSecond, perSecond,
                    i -> pub.send(Request.cmd(Command.PUBLISH).arg("bench").arg(Long.toString(System.nanoTime()))));
            System.out.println("  during raw:   " + probe.summary());
        }
        done.await(30, TimeUnit.SECONDS);
        sub.close();
        pub.close();
        return toArray(lat);
    }

    /** 20 pairs: sender on replica 1, receiver on replica 2, ice-candidate messages carrying their send time. */
    static double[] relay(HttpClient http, ServiceProcess r1, ServiceProcess r2, int perSecond, int seconds) throws Exception {
        int pairs = 20;
        ConcurrentLinkedQueue<Double> lat = new ConcurrentLinkedQueue<>();
        int total = perSecond * seconds;
        CountDownLatch done = new CountDownLatch(total);
        List<WebSocket> senders = new ArrayList<>();
        List<WebSocket> all = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            String room = "relay-" + p;
            WebSocket rx = join(http, Boolean.getBoolean("bench.same-replica") ? r1 : r2, room, "rx", m -> {
                int at = m.indexOf("\"candidate\":\"t");
                if (at >= 0) {
                    long now = System.nanoTime();
                    long sent = Long.parseLong(m.substring(at + 14, m.indexOf('"', at + 14)));
                    if (sent >= measureFrom) {
                        lat.add((now - sent) / 1e6);
                        done.countDown();
                    }
                }
            }).get(10, TimeUnit.SECONDS);
            WebSocket tx = join(http, r1, room, "tx", m -> { }).get(10, TimeUnit.SECONDS);
            senders.add(tx);
            all.add(rx);
            all.add(tx);
        }
        Thread.sleep(500);
        // Warm-up: the same messages, so the JIT compiles exactly the measured path; sent before measureFrom, not counted.
        measureFrom = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        try (WakeupProbe probe = new WakeupProbe()) {
            paced(total + WARMUP_SECONDS * perSecond, perSecond, i -> senders.get(i % pairs).writeTextMessage(
                    "{\"type\":\"ice-candidate\",\"to\":\"rx\",\"candidate\":\"t" + System.nanoTime() + "\"}"));
            System.out.println("  during relay: " + probe.summary());
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            System.out.printf("WARNING: %d of %d relayed messages did not arrive%n", done.getCount(), total);
        }
        closeAll(all);
        return toArray(lat);
    }

    /** Joins {@code n} sessions (rooms of 10) with {@code inFlight} joins outstanding; keeps the sockets open in {@code keep}. */
    static int joinMany(HttpClient http, ServiceProcess replica, int n, int inFlight, String prefix, List<WebSocket> keep) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            window.acquire();
            join(http, replica, prefix + "-" + (i / 10), "p" + i, m -> { }).whenComplete((ws, e) -> {
                if (e == null) {
                    ok.incrementAndGet();
                    synchronized (keep) {
                        keep.add(ws);
                    }
                } else if (failed.incrementAndGet() <= 3) {
                    System.out.println("join failed: " + e.getMessage());
                }
                window.release();
                done.countDown();
            });
        }
        done.await(10, TimeUnit.MINUTES);
        if (failed.get() > 0) {
            System.out.printf("%d joins failed%n", failed.get());
        }
        return ok.get();
    }

    /** Connects, joins, completes on "joined"; later messages go to {@code onMessage}. */
    static CompletableFuture<WebSocket> join(HttpClient http, ServiceProcess replica, String room, String identity,
                                             java.util.function.Consumer<String> onMessage) {
        CompletableFuture<WebSocket> joined = new CompletableFuture<>();
        String token = TOKENS.sign(room, identity, identity, Duration.ofHours(1), JoinToken.DEFAULT_PERMISSIONS);
        http.webSocket(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(replica.port()).setURI("/v1/signal"))
                .onFailure(joined::completeExceptionally)
                .onSuccess(ws -> {
                    ws.textMessageHandler(m -> {
                        if (!joined.isDone()) {
                            if (m.contains("\"type\":\"joined\"")) {
                                joined.complete(ws);
                            } else {
                                joined.completeExceptionally(new IllegalStateException(m));
                            }
                        } else {
                            onMessage.accept(m);
                        }
                    });
                    ws.closeHandler(v -> joined.completeExceptionally(new IllegalStateException("closed before joined")));
                    ws.writeTextMessage("{\"type\":\"join\",\"v\":2,\"room\":\"" + room + "\",\"token\":\"" + token + "\"}");
                });
        return joined;
    }

    /**
     * How late a thread that sleeps 1 ms wakes up, sampled while a measurement runs: every hop of the relay
     * (client, replica 1, Redis, replica 2) is such a wake-up, so this is the machine's share of the tail.
     */
    static final class WakeupProbe implements AutoCloseable {
        private final ConcurrentLinkedQueue<Double> lateMs = new ConcurrentLinkedQueue<>();
        private final Thread thread = new Thread(this::run, "wakeup-probe");
        private volatile boolean running = true;

        WakeupProbe() {
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (running) {
                long t = System.nanoTime();
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                if (t >= measureFrom) {
                    lateMs.add((System.nanoTime() - t - 1_000_000) / 1e6);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }

        String summary() {
            double[] a = toArray(lateMs);
            long over1ms = Arrays.stream(a).filter(d -> d > 1).count();
            return String.format("1 ms sleeps woke late by p50 %.3f ms, p99 %.3f ms, max %.1f ms; %d of %d more than 1 ms late",
                    pct(a, 50), pct(a, 99), a.length == 0 ? 0 : a[a.length - 1], over1ms, a.length);
        }
    }

    static void paced(int total, int perSecond, java.util.function.IntConsumer send) throws InterruptedException {
        long start = System.nanoTime();
        long interval = 1_000_000_000L / perSecond;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            send.accept(i);
        }
    }

    static void closeAll(List<WebSocket> sockets) {
        sockets.forEach(ws -> ws.close((short) 1000));
        sockets.clear();
    }

    static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static double[] toArray(ConcurrentLinkedQueue<Double> q) {
        double[] a = q.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** Nearest-rank percentile of an ascending array (NaN when empty); the browser benchmarks use it too. */
    public static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
