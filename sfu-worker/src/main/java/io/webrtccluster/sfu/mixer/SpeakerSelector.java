package io.webrtccluster.sfu.mixer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the room's active speakers (at most K) from their RFC 6464 audio levels, without decoding
 * anybody. Levels are smoothed per speaker; a free slot goes to the loudest speaker above the floor at
 * once, but a speaker who holds a slot keeps it until they have been quiet for {@code releaseMs}, or a
 * challenger has been louder than the quietest active speaker by {@code marginDb} for {@code holdMs}
 * (so two voices of similar level do not flap in and out of the mix, and with it in and out of their
 * mix-minus encoders).
 *
 * <p>A speaker whose packets carry no audio level (the extension was not negotiated, or is stripped)
 * counts as just above the floor while it sends: it gets a slot when there is room, never takes one.
 * Called from the mixer thread only.
 */
public final class SpeakerSelector {
    /** Levels are -dBov (0 loud .. 127 silent); we keep "loudness" = 127 - level, higher is louder. */
    private static final double SMOOTHING = 0.3; // per packet: ~3 packets (60 ms) to follow a change

    private final int k;
    private final int floor;
    private final int marginDb;
    private final long holdMs;
    private final long releaseMs;
    private final Map<String, Speaker> speakers = new HashMap<>();
    private final List<String> active = new ArrayList<>();

    private static final class Speaker {
        double loudness;
        boolean measured;
        long lastPacketMs;
        long loudSinceMs = -1;  // last time it was above the floor
        long challengingSinceMs = -1;
    }

    /**
     * @param k         how many speakers are mixed at once
     * @param floorDbov a speaker quieter than this (-dBov, e.g. 65 = -65 dBov) is not speaking
     */
    public SpeakerSelector(int k, int floorDbov, int marginDb, long holdMs, long releaseMs) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1");
        }
        this.k = k;
        this.floor = AudioLevel.SILENCE - floorDbov;
        this.marginDb = marginDb;
        this.holdMs = holdMs;
        this.releaseMs = releaseMs;
    }

    public static SpeakerSelector withDefaults(int k) {
        return new SpeakerSelector(k, 65, 6, 300, 500);
    }

    /** One packet of a speaker, with its level in -dBov or {@link AudioLevel#MISSING}. */
    public void onLevel(String speaker, int level, long nowMs) {
        Speaker s = speakers.computeIfAbsent(speaker, id -> new Speaker());
        s.lastPacketMs = nowMs;
        if (level == AudioLevel.MISSING) {
            if (!s.measured) {
                s.loudness = floor + 1;
            }
        } else {
            double loud = AudioLevel.SILENCE - level;
            s.loudness = s.measured ? s.loudness + SMOOTHING * (loud - s.loudness) : loud;
            s.measured = true;
        }
        if (s.loudness > floor) {
            s.loudSinceMs = nowMs;
        }
    }

    public void remove(String speaker) {
        speakers.remove(speaker);
        active.remove(speaker);
    }

    /** Re-evaluates and returns the active speakers (a live view; do not modify). */
    public List<String> select(long nowMs) {
        // 1. release those who went quiet or stopped sending
        active.removeIf(id -> {
            Speaker s = speakers.get(id);
            return s == null || nowMs - s.lastPacketMs > releaseMs || nowMs - s.loudSinceMs > releaseMs;
        });
        // 2. fill free slots with the loudest speaking candidates
        while (active.size() < k) {
            String best = loudestCandidate(nowMs);
            if (best == null) {
                break;
            }
            active.add(best);
            speakers.get(best).challengingSinceMs = -1;
        }
        // 3. a challenger clearly louder than the quietest active speaker for long enough takes its slot
        String challenger = loudestCandidate(nowMs);
        if (challenger != null && active.size() == k) {
            String weakest = null;
            for (String id : active) {
                if (weakest == null || speakers.get(id).loudness < speakers.get(weakest).loudness) {
                    weakest = id;
                }
            }
            Speaker c = speakers.get(challenger);
            if (c.measured && c.loudness >= speakers.get(weakest).loudness + marginDb) {
                if (c.challengingSinceMs < 0) {
                    c.challengingSinceMs = nowMs;
                } else if (nowMs - c.challengingSinceMs >= holdMs) {
                    active.set(active.indexOf(weakest), challenger);
                    c.challengingSinceMs = -1;
                }
            } else {
                c.challengingSinceMs = -1;
            }
        }
        for (Speaker s : speakers.values()) { // only the current loudest challenger may carry a running hold
            if (s != (challenger == null ? null : speakers.get(challenger))) {
                s.challengingSinceMs = -1;
            }
        }
        return active;
    }

    private String loudestCandidate(long nowMs) {
        String best = null;
        double bestLoudness = floor;
        for (Map.Entry<String, Speaker> e : speakers.entrySet()) {
            Speaker s = e.getValue();
            if (active.contains(e.getKey()) || nowMs - s.lastPacketMs > releaseMs || s.loudness <= floor) {
                continue;
            }
            if (s.loudness > bestLoudness) {
                best = e.getKey();
                bestLoudness = s.loudness;
            }
        }
        return best;
    }

    /** Smoothed level of a speaker in -dBov (127 when unknown), for stats and events. */
    public int level(String speaker) {
        Speaker s = speakers.get(speaker);
        return s == null ? AudioLevel.SILENCE : (int) Math.round(AudioLevel.SILENCE - s.loudness);
    }
}
