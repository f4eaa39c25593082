package io.webrtccluster.sfu.mixer;

import java.util.List;

import io.webrtccluster.sfu.rtp.RtpPacket;

/**
 * Runs a small offline room through the mix path at start-up, so the first real MCU room does not meet
 * an interpreted Opus codec (cold Concentus is ~5x slower than warm: ticks overran and added hundreds of
 * milliseconds for the first seconds of a room). On a background thread: it must not delay readiness.
 */
public final class MixWarmUp {
    private MixWarmUp() {
    }

    public static void start(int ticks) {
        Thread t = new Thread(() -> run(ticks), "sfu-mixer-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run(int ticks) {
        RoomMix mix = new RoomMix(MixConfig.defaults(2), null, null);
        RoomMix.Listener sink = new RoomMix.Listener() {
            @Override
            public String participantId() {
                return "a";
            }

            @Override
            public void send(byte[] opus, int length, long[] csrcs, int csrcCount, long nowMs) {
            }

            @Override
            public void skip() {
            }
        };
        mix.addListener(sink);
        OpusEncoder[] voices = {new OpusEncoder(32_000, 5), new OpusEncoder(32_000, 5)};
        List<String> ids = List.of("a", "b");
        ids.forEach(mix::addSpeaker);
        short[] pcm = new short[OpusDecoder.FRAME];
        byte[] rtp = new byte[12 + 8 + OpusEncoder.MAX_PACKET];
        for (int tick = 0; tick < ticks; tick++) {
            for (int v = 0; v < voices.length; v++) {
                for (int i = 0; i < pcm.length; i++) {
                    pcm[i] = (short) (4000 * Math.sin(2 * Math.PI * (300 + 400 * v) * (tick * OpusDecoder.FRAME + i) / 48_000.0));
                }
                int n = voices[v].encode(pcm);
                int len = packet(rtp, tick, v, voices[v].packet(), n);
                mix.onPacket(ids.get(v), RtpPacket.parse(rtp, len), 3, System.nanoTime());
            }
            mix.tick(System.nanoTime());
        }
    }

    private static int packet(byte[] b, int seq, int ssrc, byte[] payload, int n) {
        b[0] = (byte) 0x90;
        b[1] = 111;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        b[11] = (byte) (ssrc + 1);
        b[12] = (byte) 0xbe;
        b[13] = (byte) 0xde;
        b[15] = 1;
        b[16] = 0x30;
        b[17] = (byte) (0x80 | 30);
        System.arraycopy(payload, 0, b, 20, n);
        return 20 + n;
    }
}
