package io.webrtccluster.sfu.mixer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.webrtccluster.sfu.metrics.ForwardingLatency;
import io.webrtccluster.sfu.rtp.RtpPacket;

/**
 * A room's audio mix, ticked every 20 ms by the {@link MixClock}. Every speaker's packets go into its
 * own {@link JitterBuffer}; each tick plays one frame of everyone, picks the active speakers from the
 * audio levels ({@link SpeakerSelector}, nobody decoded for that), decodes only those K, and encodes K+1
 * streams: one shared mix for every listener who is not an active speaker, and one mix-minus for each
 * active speaker (nobody hears themselves). The cost per tick is K decodes + K+1 encodes whatever the
 * number of listeners; a listener costs an RTP header, an SRTP encryption and a send.
 */
public final class RoomMix implements MixClock.Tickable {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One participant receiving the mix. */
    public interface Listener {
        String participantId();

        /** This tick's frame for this listener (the buffers are reused: copy or send before returning). */
        void send(byte[] opus, int length, long[] csrcs, int csrcCount, long nowMs);

        /** This tick has nothing for this listener (nobody, or only they, speaks). */
        void skip();
    }

    /** Told when the set of active speakers changes (from the mixer thread). */
    public interface SpeakersObserver {
        void onActiveSpeakers(List<String> speakers);
    }

    private static final class Speaker {
        final String id;
        final long csrc = (RANDOM.nextInt() & 0x7fffffffL) | 1;
        final JitterBuffer buffer;
        final OpusDecoder decoder = new OpusDecoder();
        final Concealment concealment = new Concealment();
        final short[] pcm = new short[OpusDecoder.FRAME];
        JitterBuffer.Play play;
        boolean contributes;
        OpusEncoder minusEncoder; // while active

        Speaker(String id, int maxDepth) {
            this.id = id;
            this.buffer = new JitterBuffer(maxDepth, OpusEncoder.MAX_PACKET + 64);
        }
    }

    private final MixConfig config;
    private final SpeakersObserver observer;
    private final ForwardingLatency latency;
    private final SpeakerSelector selector;
    private final Map<String, Speaker> speakers = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.Queue<String> removed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final OpusEncoder shared;
    private final MixBuffer mix = new MixBuffer(OpusDecoder.FRAME);
    private final short[] out = new short[OpusDecoder.FRAME];
    private final List<Speaker> contributing = new ArrayList<>();
    private final long[] csrcs = new long[15];
    private final long[] minusCsrcs = new long[15];
    private List<String> announced = List.of();
    private volatile List<String> activeSpeakers = List.of();
    private volatile long ticks;

    public RoomMix(MixConfig config, SpeakersObserver observer, ForwardingLatency latency) {
        this.config = config;
        this.observer = observer;
        this.latency = latency;
        this.selector = SpeakerSelector.withDefaults(config.speakers());
        this.shared = new OpusEncoder(config.bitrate(), config.complexity());
    }

    public void addSpeaker(String id) {
        speakers.computeIfAbsent(id, s -> new Speaker(s, config.maxDepth()));
    }

    public void removeSpeaker(String id) {
        speakers.remove(id);
        removed.add(id); // the selector belongs to the mixer thread
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** An audio packet from a speaker (UDP receive thread). */
    public void onPacket(String speakerId, RtpPacket p, int audioLevelExtension, long arrivalNanos) {
        Speaker s = speakers.get(speakerId);
        if (s == null) {
            return;
        }
        int level = AudioLevel.read(p, audioLevelExtension);
        if (level == AudioLevel.MISSING) {
            MixerCounters.get().count(MixerCounters.Kind.LEVEL_MISSING);
        }
        JitterBuffer.Arrival a = s.buffer.offer(p.sequenceNumber(), p.bytes(), p.payloadOffset(), p.payloadLength(), level,
                arrivalNanos);
        switch (a) {
            case LATE -> MixerCounters.get().count(MixerCounters.Kind.LATE);
            case DUPLICATE -> MixerCounters.get().count(MixerCounters.Kind.DUPLICATE);
            case RESYNC -> MixerCounters.get().count(MixerCounters.Kind.RESYNC);
            case OVERFLOW -> MixerCounters.get().count(MixerCounters.Kind.OVERFLOW);
            case QUEUED -> {
            }
        }
    }

    /** One tick, as if the clock had not skipped anything. */
    public void tick(long nowNanos) {
        tick(nowNanos, 0);
    }

    @Override
    public void tick(long nowNanos, long skippedFrames) {
        long nowMs = System.currentTimeMillis();
        ticks++;
        if (skippedFrames > 0) {
            // the frames those ticks would have played are stale now: drop them, keep listeners' time right
            long drop = Math.min(skippedFrames, JitterBuffer.SLOTS);
            for (Speaker s : speakers.values()) {
                for (long i = 0; i < drop; i++) {
                    s.buffer.poll();
                }
            }
            for (Listener l : listeners) {
                for (long i = 0; i < drop; i++) {
                    l.skip();
                }
            }
        }
        // 1. every speaker plays one frame (so buffers of the inactive ones do not pile up); levels in
        for (Speaker s : speakers.values()) {
            s.play = s.buffer.poll();
            if (s.play == JitterBuffer.Play.PACKET) {
                selector.onLevel(s.id, s.buffer.playedLevel(), nowMs);
            }
        }
        for (String id; (id = removed.poll()) != null; ) {
            if (!speakers.containsKey(id)) {
                selector.remove(id);
            }
        }
        List<String> active = selector.select(nowMs);
        // 2. decode (or conceal) the active ones only, and mix them
        mix.clear();
        contributing.clear();
        for (String id : active) {
            Speaker s = speakers.get(id);
            if (s == null) {
                continue;
            }
            s.contributes = decode(s);
            if (s.contributes) {
                mix.add(s.pcm);
                contributing.add(s);
            }
        }
        for (Speaker s : speakers.values()) {
            if (!active.contains(s.id)) {
                s.contributes = false;
                s.minusEncoder = null; // back on the shared mix
            }
        }
        if (!active.equals(announced)) {
            announced = List.copyOf(active);
            activeSpeakers = announced;
            if (observer != null) {
                observer.onActiveSpeakers(announced);
            }
        }
        if (contributing.isEmpty()) {
            listeners.forEach(Listener::skip);
            return;
        }
        // 3. encode: the shared mix once, a mix-minus per contributing speaker who listens
        int n = 0;
        for (Speaker s : contributing) {
            csrcs[n++] = s.csrc;
        }
        boolean sharedEncoded = false;
        for (Listener l : listeners) {
            Speaker own = contributor(l.participantId());
            if (own != null) {
                if (contributing.size() == 1) {
                    l.skip(); // only they speak: their mix-minus is silence
                    continue;
                }
                if (own.minusEncoder == null) {
                    own.minusEncoder = new OpusEncoder(config.bitrate(), config.complexity());
                }
                mix.minus(own.pcm, out);
                int len = own.minusEncoder.encode(out);
                int m = 0;
                for (Speaker s : contributing) {
                    if (s != own) {
                        minusCsrcs[m++] = s.csrc;
                    }
                }
                if (len > 0) {
                    l.send(own.minusEncoder.packet(), len, minusCsrcs, m, nowMs);
                } else {
                    l.skip();
                }
            } else {
                if (!sharedEncoded) {
                    mix.total(out);
                    shared.encode(out);
                    sharedEncoded = true;
                }
                if (shared.length() > 0) {
                    l.send(shared.packet(), shared.length(), csrcs, n, nowMs);
                } else {
                    l.skip();
                }
            }
        }
        if (latency != null) {
            long sent = System.nanoTime();
            for (Speaker s : contributing) {
                if (s.play == JitterBuffer.Play.PACKET) {
                    latency.record(sent - s.buffer.playedArrivalNanos());
                }
            }
        }
    }

    /** The contributing speaker who is this listener, or null (a scan of at most K: cheaper per listener than a map). */
    private Speaker contributor(String participantId) {
        for (int i = 0; i < contributing.size(); i++) {
            Speaker s = contributing.get(i);
            if (s.id.equals(participantId)) {
                return s;
            }
        }
        return null;
    }

    /** Fills the speaker's pcm for this tick; false when it has nothing to contribute. */
    private boolean decode(Speaker s) {
        switch (s.play) {
            case PACKET -> {
                s.concealment.received();
                if (!s.decoder.decode(s.buffer.played(), s.buffer.playedLength(), s.pcm)) {
                    MixerCounters.get().count(MixerCounters.Kind.GARBAGE_OPUS);
                    return false;
                }
                return true;
            }
            case LOST -> {
                Concealment.Outcome o = s.concealment.lost(s.buffer, s.decoder, s.pcm);
                MixerCounters.get().count(o == Concealment.Outcome.FEC ? MixerCounters.Kind.FEC : MixerCounters.Kind.PLC);
                return o != Concealment.Outcome.SILENCE;
            }
            default -> {
                if (s.concealment.silent()) {
                    return false;
                }
                Concealment.Outcome o = s.concealment.empty(s.decoder, s.pcm);
                if (o == Concealment.Outcome.PLC) {
                    MixerCounters.get().count(MixerCounters.Kind.PLC);
                }
                return o != Concealment.Outcome.SILENCE;
            }
        }
    }

    /** The active speakers as of the last tick. */
    public List<String> activeSpeakers() {
        return activeSpeakers;
    }

    public int speakers() {
        return speakers.size();
    }

    public int listeners() {
        return listeners.size();
    }

    public long ticks() {
        return ticks;
    }

    /** Frames the speakers' jitter buffers dropped to shrink a delay they no longer needed. */
    public long trimmed() {
        long n = 0;
        for (Speaker s : speakers.values()) {
            n += s.buffer.trimmed();
        }
        return n;
    }
}
