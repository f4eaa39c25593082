package io.webrtccluster.sfu.mixer;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What went wrong (or was repaired) on the way into the mixers, counted per kind for the metrics and
 * logged as counts every few seconds: bad input costs a counter increment, never a stack trace per packet.
 */
public final class MixerCounters {
    public enum Kind {
        /** a payload the Opus decoder refused */
        GARBAGE_OPUS("garbage-opus"),
        /** arrived after its frame was played */
        LATE("late"),
        DUPLICATE("duplicate"),
        /** a sequence jump so large the speaker's buffer restarted */
        RESYNC("resync"),
        /** dropped because the speaker's buffer was over its depth (flooding, fast clock) */
        OVERFLOW("overflow"),
        /** a packet without the RFC 6464 audio level */
        LEVEL_MISSING("audio-level-missing"),
        /** a lost frame rebuilt from the next packet's in-band FEC */
        FEC("fec"),
        /** a lost or late frame extrapolated by the decoder */
        PLC("plc"),
        /** a mixer tick that started more than one frame late (the worker's CPU is saturated) */
        TICK_OVERRUN("tick-overrun");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final MixerCounters INSTANCE = new MixerCounters();

    private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

    private MixerCounters() {
        for (Kind k : Kind.values()) {
            counts.put(k, new LongAdder());
        }
    }

    public static MixerCounters get() {
        return INSTANCE;
    }

    public void count(Kind kind) {
        counts.get(kind).increment();
    }

    public long value(Kind kind) {
        return counts.get(kind).sum();
    }

    private final Map<Kind, Long> logged = new EnumMap<>(Kind.class);

    /** What changed since the last call, as one line ("garbage-opus +312, late +4"), or null when nothing did. */
    public synchronized String changesSinceLastCall() {
        StringBuilder b = new StringBuilder();
        for (Kind k : Kind.values()) {
            long now = value(k);
            long delta = now - logged.getOrDefault(k, 0L);
            if (delta > 0 && k != Kind.FEC && k != Kind.PLC) { // repairs are normal; they stay in the metrics
                b.append(b.length() == 0 ? "" : ", ").append(k.label).append(" +").append(delta);
            }
            logged.put(k, now);
        }
        return b.length() == 0 ? null : b.toString();
    }
}
