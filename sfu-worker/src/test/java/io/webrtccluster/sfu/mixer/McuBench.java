package io.webrtccluster.sfu.mixer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.webrtccluster.sfu.Captured;
import io.webrtccluster.sfu.metrics.ForwardingLatency;
import io.webrtccluster.sfu.rtp.RtpPacket;
import io.webrtccluster.sfu.srtp.SrtpProfile;
import io.webrtccluster.sfu.srtp.SrtpSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * MCU against SFU audio for one room of K = 3 speakers (Chromium's captured Opus, with its audio levels)
 * and 10 / 100 / 1,000 listeners, doing per listener what the worker does: the mixed stream's RTP header,
 * AES-GCM SRTP with the listener's own context, a send to a loopback UDP socket. SFU audio does per
 * listener and speaker packet what the forwarder does (rewrite, SRTP, send). Run by sfu-worker/bench/mcu.sh
 * pinned to one core. Part 1: CPU per 20 ms on that core (thread CPU time), so rooms and listeners per core.
 * Part 2: the mixer's added delay (speaker packet in → mix out) with the real 20 ms clock and a feeder thread
 * on the same core: one small room, then, per room size, as many rooms as fill 70 % of the core by part 1's
 * CPU time (the planning point: capacity is quoted there, where the clock keeps its deadline, never at 100 %).
 */
@EnabledIfSystemProperty(named = "mcu.bench", matches = "true")
class McuBench {
    static final int K = 3;
    static final int[] LISTENERS = {10, 100, 1000};
    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** The share of a core capacity is planned at: what is left absorbs scheduling, GC and bursts. */
    static final double PLANNED_LOAD = 0.7;

    static int indexOf(int listeners) {
        for (int i = 0; i < LISTENERS.length; i++) {
            if (LISTENERS[i] == listeners) {
                return i;
            }
        }
        throw new IllegalArgumentException("no room size " + listeners);
    }

    static final List<List<RtpPacket>> SPEECH = List.of(load("chromium-300hz.hex"), load("chromium-700hz.hex"),
            load("chromium-1100hz.hex"));

    static List<RtpPacket> load(String name) {
        List<RtpPacket> out = new ArrayList<>();
        for (Captured.Line l : Captured.read("opus/" + name)) {
            out.add(RtpPacket.parse(l.bytes(), l.bytes().length));
        }
        return out;
    }

    /** A listener as the worker has it: SRTP context, socket send. */
    static final class Sink implements RoomMix.Listener {
        final String id;
        final SrtpSession srtp;
        final MixedStream stream = new MixedStream(1234, 111);
        final DatagramChannel channel;
        final InetSocketAddress to;
        final byte[] scratch = new byte[1500];
        final SrtpSession.Buffer buf = new SrtpSession.Buffer(scratch, 0, 0);
        final ByteBuffer bb = ByteBuffer.wrap(scratch);
        long bytes;

        Sink(String id, DatagramChannel channel, InetSocketAddress to) {
            this.id = id;
            this.channel = channel;
            this.to = to;
            byte[] key = new byte[16];
            byte[] salt = new byte[12];
            Arrays.fill(key, (byte) id.hashCode());
            srtp = new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, true, key, salt);
        }

        @Override
        public String participantId() {
            return id;
        }

        @Override
        public void send(byte[] opus, int length, long[] csrcs, int csrcCount, long nowMs) {
            int n = stream.write(scratch, opus, length, csrcs, csrcCount, nowMs);
            out(n);
        }

        /** SFU audio: one forwarded copy (the forwarder's rewrite without extensions). */
        void forward(RtpPacket p, int seq) {
            out(p.rewriteInto(scratch, 1234, seq, p.timestamp()));
        }

        void out(int n) {
            buf.reset(scratch, n);
            if (srtp.protectRtp(buf)) {
                bb.clear().position(buf.getOffset()).limit(buf.getOffset() + buf.getLength());
                try {
                    channel.send(bb, to);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                bytes += buf.getLength() + 28; // + IPv4/UDP headers on the wire
            }
        }

        @Override
        public void skip() {
            stream.skip();
        }
    }

    record Cost(double cpuMsPerTick, double kbpsPerListener) {
    }

    static Cost mcu(int listeners, int ticks, DatagramChannel ch, InetSocketAddress to) {
        RoomMix mix = new RoomMix(MixConfig.defaults(K), null, null);
        List<Sink> sinks = new ArrayList<>();
        for (int s = 0; s < K; s++) {
            mix.addSpeaker("s" + s);
        }
        for (int i = 0; i < listeners; i++) {
            Sink sink = new Sink(i < K ? "s" + i : "l" + i, ch, to); // the speakers listen too (mix-minus)
            sinks.add(sink);
            mix.addListener(sink);
        }
        long cpu0 = CPU.getCurrentThreadCpuTime();
        for (int t = 0; t < ticks; t++) {
            for (int s = 0; s < K; s++) {
                RtpPacket p = SPEECH.get(s).get(t % 250);
                mix.onPacket("s" + s, withSeq(p, t), 3, System.nanoTime());
            }
            mix.tick(System.nanoTime());
        }
        double cpuMs = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e6 / ticks;
        long bytes = sinks.stream().mapToLong(x -> x.bytes).sum();
        return new Cost(cpuMs, bytes * 8.0 / listeners / (ticks * 0.02) / 1000);
    }

    static Cost sfu(int listeners, int ticks, DatagramChannel ch, InetSocketAddress to) {
        List<Sink> sinks = new ArrayList<>();
        for (int i = 0; i < listeners; i++) {
            sinks.add(new Sink("l" + i, ch, to));
        }
        long cpu0 = CPU.getCurrentThreadCpuTime();
        for (int t = 0; t < ticks; t++) {
            for (int s = 0; s < K; s++) {
                RtpPacket p = SPEECH.get(s).get(t % 250);
                for (int i = 0; i < listeners; i++) {
                    if (i != s) { // a speaker does not receive its own stream
                        sinks.get(i).forward(p, t);
                    }
                }
            }
        }
        double cpuMs = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e6 / ticks;
        long bytes = sinks.stream().mapToLong(x -> x.bytes).sum();
        return new Cost(cpuMs, bytes * 8.0 / listeners / (ticks * 0.02) / 1000);
    }

    /** The captured packet with a continuous sequence number (the capture is looped). */
    static RtpPacket withSeq(RtpPacket p, int seq) {
        byte[] b = Arrays.copyOf(p.bytes(), p.length());
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        return RtpPacket.parse(b, b.length);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static String spread(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return String.format("%.3g [%.3g..%.3g]", s[s.length / 2], s[0], s[s.length - 1]);
    }

    @Test
    void mcuAgainstSfuAudio() throws Exception {
        int runs = Integer.getInteger("mcu.runs", 3);
        int ticks = Integer.getInteger("mcu.ticks", 500);
        try (DatagramChannel sinkSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress to = (InetSocketAddress) sinkSocket.getLocalAddress();
            sinkSocket.configureBlocking(false);
            for (int l : LISTENERS) { // warm-up: JIT, SRTP back-end
                mcu(l, 200, ch, to);
                sfu(l, 200, ch, to);
            }
            System.out.printf("%nK = %d speakers (Chromium Opus), %d ticks (20 ms) per run, %d runs; median [min..max]%n", K, ticks, runs);
            System.out.printf("%-5s %6s %22s %22s %22s %20s%n", "mode", "listen", "CPU ms per 20 ms", "rooms/core at 100 %", "listeners/core at 100 %",
                    "kbit/s per listener");
            double[] capacity = new double[LISTENERS.length];
            for (int li = 0; li < LISTENERS.length; li++) {
                int l = LISTENERS[li];
                for (String mode : List.of("mcu", "sfu")) {
                    double[] cpu = new double[runs];
                    double[] rooms = new double[runs];
                    double[] per = new double[runs];
                    double[] kbps = new double[runs];
                    for (int r = 0; r < runs; r++) {
                        Cost c = mode.equals("mcu") ? mcu(l, ticks, ch, to) : sfu(l, ticks, ch, to);
                        cpu[r] = c.cpuMsPerTick();
                        rooms[r] = 20 / c.cpuMsPerTick();
                        per[r] = rooms[r] * l;
                        kbps[r] = c.kbpsPerListener();
                    }
                    if (mode.equals("mcu")) {
                        capacity[li] = median(cpu);
                    }
                    System.out.printf("%-5s %6d %22s %22s %22s %20s%n", mode, l, spread(cpu), spread(rooms), spread(per), spread(kbps));
                }
            }
            // Part 2: added delay under the real clock: one small room, then each room size at 70 % of the core
            List<int[]> shapes = new ArrayList<>(List.<int[]>of(new int[]{1, 10}));
            for (int li = 0; li < LISTENERS.length; li++) {
                shapes.add(new int[]{Math.max(1, (int) (PLANNED_LOAD * 20 / capacity[li])), LISTENERS[li]});
            }
            for (int[] shape : shapes) {
                System.out.printf("%nadded delay with the 20 ms clock: %d room(s) x %d listeners = %d listeners on the core"
                                + " (%.0f %% of it by part 1), 10 s per run%n", shape[0], shape[1], shape[0] * shape[1],
                        100 * shape[0] * capacity[indexOf(shape[1])] / 20);
                double[] p50 = new double[runs];
                double[] p99 = new double[runs];
                for (int r = 0; r < runs; r++) {
                    double[] d = latency(shape[0], shape[1], ch, to);
                    p50[r] = d[0];
                    p99[r] = d[1];
                    System.out.printf("run %d: p50 %.1f ms, p99 %.1f ms, tick overruns %d; tick start late p50 %.2f p99 %.1f max %.1f ms;"
                            + " tick work p50 %.1f p99 %.1f ms; frames trimmed from jitter buffers %d%n", r, d[0], d[1], (long) d[2],
                            d[3], d[4], d[5], d[6], d[7], (long) d[8]);
                }
                System.out.printf("added delay: p50 %s ms, p99 %s ms (median [min..max])%n", spread(p50), spread(p99));
            }
        }
    }

    /**
     * Where the tail comes from: how late each tick starts against the clock's 20 ms grid (the mixer thread
     * waiting for the core), and how long the work of all rooms takes; first and last in the clock's list.
     */
    static final class TickProbe {
        final ForwardingLatency late = new ForwardingLatency(100_000, 10_000);
        final ForwardingLatency work = new ForwardingLatency(100_000, 10_000);
        long first = -1;
        long frames;

        final MixClock.Tickable start = (now, skipped) -> {
            if (first < 0) {
                first = now;
                return;
            }
            frames += 1 + skipped;
            late.record(Math.max(0, now - (first + frames * MixClock.FRAME_NANOS)));
        };
        final MixClock.Tickable end = (now, skipped) -> work.record(System.nanoTime() - now);
    }

    /**
     * p50, p99 (ms) of speaker packet in → mix sent, tick overruns, tick start lateness p50/p99/max (ms), tick work
     * p50/p99 (ms) and frames trimmed from the speakers' jitter buffers, for {@code rooms} rooms on the real clock.
     */
    static double[] latency(int rooms, int listeners, DatagramChannel ch, InetSocketAddress to) throws Exception {
        ForwardingLatency lat = new ForwardingLatency(100_000, 10_000);
        TickProbe probe = new TickProbe();
        long overruns0 = MixerCounters.get().value(MixerCounters.Kind.TICK_OVERRUN);
        List<RoomMix> mixes = new ArrayList<>();
        try (MixClock clock = new MixClock()) {
            clock.add(probe.start);
            for (int r = 0; r < rooms; r++) {
                RoomMix mix = new RoomMix(MixConfig.defaults(K), null, lat);
                for (int s = 0; s < K; s++) {
                    mix.addSpeaker("s" + s);
                }
                for (int i = 0; i < listeners; i++) {
                    mix.addListener(new Sink(i < K ? "s" + i : "l" + i, ch, to));
                }
                mixes.add(mix);
                clock.add(mix);
            }
            clock.add(probe.end);
            // the feeder plays the UDP receive thread: every speaker's packet every 20 ms, at a phase of its own
            long start = System.nanoTime();
            int frames = 500;
            for (int f = 0; f < frames; f++) {
                for (int s = 0; s < K; s++) {
                    long due = start + f * 20_000_000L + s * 6_000_000L;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    for (RoomMix mix : mixes) {
                        mix.onPacket("s" + s, withSeq(SPEECH.get(s).get(f % 250), f), 3, System.nanoTime());
                    }
                }
                if (f == 50) {
                    lat.snapshot(true); // the first second settles
                    probe.late.snapshot(true);
                    probe.work.snapshot(true);
                }
            }
        }
        ForwardingLatency.Snapshot s = lat.snapshot(false);
        ForwardingLatency.Snapshot late = probe.late.snapshot(false);
        ForwardingLatency.Snapshot work = probe.work.snapshot(false);
        return new double[]{s.p50Micros() / 1000, s.p99Micros() / 1000,
                MixerCounters.get().value(MixerCounters.Kind.TICK_OVERRUN) - overruns0,
                late.p50Micros() / 1000, late.p99Micros() / 1000, late.maxMicros() / 1000, work.p50Micros() / 1000,
                work.p99Micros() / 1000, mixes.stream().mapToLong(RoomMix::trimmed).sum()};
    }
}
