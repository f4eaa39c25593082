package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.signaling.bench.SignalingBench;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;

import static org.awaitility.Awaitility.await;

/**
 * Live topology switches with real browsers, measured the way users meet them: Redis, two signaling
 * replicas, one SFU worker, an auto room with threshold 2. Alice (replica 1) and Bob (replica 2) stay;
 * Carol joins (mesh → SFU) and leaves (SFU → mesh after the hysteresis), again and again. Per switch:
 * its duration from decision to commit (the server's measure, in the commit message), the longest
 * time Alice's and Bob's pages went without presenting a new frame of each other (from 0.5 s before the
 * switch began to 1 s after it committed), time during which a remote was audible twice, and the
 * signaling messages each staying participant sent and received for the switch. Run in the same run:
 * the freeze a page shows with no switch at all, as the floor.
 * <pre>bench/browser.sh topology [runs=3] [cycles=10]</pre>
 * Goals: p95 freeze < 100 ms; up < 1.5 s, down < 2.5 s (decision → commit).
 */
public final class TopologySwitchBench {
    /** Counts the signaling messages a page sends and receives, with their times (installed before join). */
    static final String COUNT_MESSAGES = "window.__ws = []; const send = WebSocket.prototype.send;"
            + " WebSocket.prototype.send = function (d) { window.__ws.push(performance.now()); return send.call(this, d); };"
            + " const Orig = window.WebSocket; window.WebSocket = function (...a) { const ws = new Orig(...a);"
            + "   ws.addEventListener('message', () => window.__ws.push(performance.now())); return ws; };"
            + " window.WebSocket.prototype = Orig.prototype; Object.assign(window.WebSocket, Orig);";

    /** How long a steady-state floor window lasts (about one switch's measured window). */
    static final long STEADY_WINDOW_MS = 3000;

    record Switch(String direction, long durationMs, long freezeMs, long messages) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<Map<String, Double>> summaries = new ArrayList<>();
        try (RedisServer redis = RedisServer.start();
             ServiceProcess worker = SfuRoomIT.worker(redis, "sfu-bench");
             ServiceProcess r1 = TopologyProtocolIT.replica(redis, "r1");
             ServiceProcess r2 = TopologyProtocolIT.replica(redis, "r2")) {
            for (int run = 1; run <= runs; run++) {
                String room = "switch-" + run;
                ProtocolErrorsIT.declare(redis, room, new RoomPolicy(20, 2, TopologyMode.AUTO, null, true, 1, 2));
                List<Switch> switches = new ArrayList<>();
                List<Switch> steady = new ArrayList<>(); // the same pages with no switch going on: the floor
                long floor;
                long doubleAudio;
                try (DemoPage alice = page(r1, room, "alice");
                     DemoPage bob = page(r2, room, "bob");
                     DemoPage carol = page(r1, room, "carol")) {
                    alice.clickJoin();
                    bob.clickJoin();
                    alice.awaitDecodingFrom(1, Duration.ofSeconds(20));
                    bob.awaitDecodingFrom(1, Duration.ofSeconds(20));
                    Thread.sleep(2000);
                    double a0 = alice.now();
                    double b0 = bob.now();
                    Thread.sleep(4000);
                    floor = Math.max(alice.frameGaps(a0).get(bob.selfId()), bob.frameGaps(b0).get(alice.selfId()));
                    for (int c = 0; c < cycles; c++) {
                        switches.addAll(measure("up", alice, bob, () -> carol.clickJoin(), "sfu"));
                        carol.awaitDecodingFrom(2, Duration.ofSeconds(20));
                        steady.addAll(steadyGaps("sfu", alice, bob));
                        switches.addAll(measure("down", alice, bob, () -> carol.clickLeave(), "mesh"));
                        steady.addAll(steadyGaps("mesh", alice, bob));
                    }
                    doubleAudio = TopologySwitchIT.doubleAudioMs(alice) + TopologySwitchIT.doubleAudioMs(bob);
                }
                Map<String, Double> s = report(run, switches, steady, floor, doubleAudio);
                summaries.add(s);
            }
        }
        System.out.println();
        System.out.printf("over %d runs (median, spread):%n", runs);
        for (String k : summaries.get(0).keySet()) {
            List<Double> v = summaries.stream().map(m -> m.get(k)).sorted().toList();
            System.out.printf("  %-22s %8.0f   (%.0f–%.0f)%n", k, v.get(v.size() / 2), v.get(0), v.get(v.size() - 1));
        }
    }

    private static DemoPage page(ServiceProcess replica, String room, String name) {
        DemoPage p = DemoPage.open(replica.httpUrl(), room, name, null, "");
        p.script(COUNT_MESSAGES);
        return p;
    }

    /** One switch: trigger it, wait until both staying pages committed it, then read what they showed. */
    private static List<Switch> measure(String direction, DemoPage alice, DemoPage bob, Runnable trigger, String to)
            throws InterruptedException {
        int commitsBefore = commits(alice);
        double aFrom = alice.now();
        double bFrom = bob.now();
        trigger.run();
        for (DemoPage p : List.of(alice, bob)) {
            await(p.name + " commits " + to).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> commits(p) > commitsBefore && to.equals(p.report().get("topology")));
        }
        Thread.sleep(1000);
        List<Switch> out = new ArrayList<>();
        for (DemoPage[] pair : new DemoPage[][] {{alice, bob}, {bob, alice}}) {
            DemoPage p = pair[0];
            double from = p == alice ? aFrom : bFrom;
            Map<String, Object> ev = lastSwitch(p);
            double changing = ((Number) ev.get("changingAt")).doubleValue();
            long freeze = p.frameGaps(Math.max(from, changing - 500)).getOrDefault(pair[1].selfId(), -1L);
            if (Boolean.getBoolean("bench.where")) { // where the longest gap sits, relative to the switch and the render move
                System.out.println("  " + direction + " " + p.name + ": " + p.script("const [since, peer, ch] = arguments;"
                        + " const g = window.wrcDemo.frameGaps(since, true)[peer];"
                        + " const moved = [...window.wrcDemo.events].reverse().find(e => e.type === 'remote-path' && e.id === peer);"
                        + " return JSON.stringify({freeze: g.ms, gapStartsAfterPrepare: Math.round(g.at - ch),"
                        + "   renderMovedAfterPrepare: moved ? Math.round(moved.at - ch) : null,"
                        + "   sfuStates: window.wrcDemo.events.filter(e => e.type === 'peer-state' && e.id === 'sfu' && e.at >= ch).map(e => e.state + '@' + Math.round(e.at - ch)).join(' '),"
                        + "   newPathFrames: (window.wrcDemo.pathFrames[peer + '/' + (moved ? moved.path : '')] || []).filter(t => t >= ch).slice(0, 6).map(t => Math.round(t - ch))})",
                        Math.max(from, changing - 500), pair[1].selfId(), changing));
            }
            long messages = ((Number) p.script("return window.__ws.filter(t => t >= arguments[0] && t <= arguments[1]).length",
                    changing - 50, ((Number) ev.get("commitAt")).doubleValue() + 200)).longValue();
            out.add(new Switch(direction, ((Number) ev.get("durationMs")).longValue(), freeze, messages));
        }
        return out;
    }

    /**
     * The longest gap Alice and Bob see of each other over {@link #STEADY_WINDOW_MS} with no switch going on, on
     * {@code topology} with the same pages open (three on SFU, two on mesh): what this machine shows without a switch.
     */
    private static List<Switch> steadyGaps(String topology, DemoPage alice, DemoPage bob) throws InterruptedException {
        Thread.sleep(1000);
        double a0 = alice.now();
        double b0 = bob.now();
        Thread.sleep(STEADY_WINDOW_MS);
        return List.of(new Switch(topology, 0, alice.frameGaps(a0).get(bob.selfId()), 0),
                new Switch(topology, 0, bob.frameGaps(b0).get(alice.selfId()), 0));
    }

    private static int commits(DemoPage p) {
        return ((Number) p.script("return window.wrcDemo.events.filter(e => e.type === 'topology' && e.durationMs != null).length")).intValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lastSwitch(DemoPage p) {
        return (Map<String, Object>) p.script("const ev = window.wrcDemo.events;"
                + " const commit = [...ev].reverse().find(e => e.type === 'topology' && e.durationMs != null);"
                + " const changing = [...ev].reverse().find(e => e.type === 'topology-changing' && e.epoch === commit.epoch);"
                + " return {durationMs: commit.durationMs, commitAt: commit.at, changingAt: changing ? changing.at : commit.at};");
    }

    private static Map<String, Double> report(int run, List<Switch> switches, List<Switch> steady, long floor, long doubleAudio) {
        Map<String, Double> s = new java.util.LinkedHashMap<>();
        for (String dir : List.of("up", "down")) {
            List<Switch> d = switches.stream().filter(x -> x.direction().equals(dir)).toList();
            // Both staying pages report each switch; its duration (the server's) once.
            List<Long> dur = sorted(java.util.stream.IntStream.range(0, d.size()).filter(i -> i % 2 == 0)
                    .mapToObj(i -> d.get(i).durationMs()).toList());
            List<Long> freeze = sorted(d.stream().map(Switch::freezeMs).toList());
            List<Long> msgs = sorted(d.stream().map(Switch::messages).toList());
            System.out.printf("run %d %-4s: %d switches; decision→commit p50 %d ms p95 %d ms; longest freeze per receiver"
                            + " p50 %d ms p95 %d ms max %d ms; signaling messages per participant p50 %d%n", run, dir,
                    d.size() / 2, pct(dur, 50), pct(dur, 95), pct(freeze, 50), pct(freeze, 95), freeze.get(freeze.size() - 1), pct(msgs, 50));
            s.put(dir + " duration p50 ms", (double) pct(dur, 50));
            s.put(dir + " duration p95 ms", (double) pct(dur, 95));
            s.put(dir + " freeze p50 ms", (double) pct(freeze, 50));
            s.put(dir + " freeze p95 ms", (double) pct(freeze, 95));
            s.put(dir + " messages p50", (double) pct(msgs, 50));
        }
        for (String topology : List.of("sfu", "mesh")) {
            List<Long> gaps = sorted(steady.stream().filter(x -> x.direction().equals(topology)).map(Switch::freezeMs).toList());
            System.out.printf("run %d: steady %s floor (longest gap per receiver over %d ms, no switch) p50 %d ms p95 %d ms max %d ms%n",
                    run, topology, STEADY_WINDOW_MS, pct(gaps, 50), pct(gaps, 95), gaps.get(gaps.size() - 1));
            s.put("steady " + topology + " floor p50 ms", (double) pct(gaps, 50));
            s.put("steady " + topology + " floor p95 ms", (double) pct(gaps, 95));
        }
        System.out.printf("run %d: no-switch floor (longest gap over 4 s, same pages) %d ms; double audio %d ms%n", run, floor, doubleAudio);
        s.put("no-switch floor ms", (double) floor);
        s.put("double audio ms", (double) doubleAudio);
        return s;
    }

    private static List<Long> sorted(List<Long> l) {
        List<Long> c = new ArrayList<>(l);
        Collections.sort(c);
        return c;
    }

    /** {@link SignalingBench#pct} over an ascending list of milliseconds or counts. */
    private static long pct(List<Long> sorted, int p) {
        return (long) SignalingBench.pct(sorted.stream().mapToDouble(Long::doubleValue).toArray(), p);
    }
}
