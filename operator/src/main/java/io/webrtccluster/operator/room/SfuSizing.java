package io.webrtccluster.operator.room;

import io.webrtccluster.operator.crd.v1alpha1.RoomTopologyMode;
import io.webrtccluster.operator.crd.v1alpha1.SfuSpec;

/**
 * How many SFU workers a room gets: none for a mesh-only room, else enough for its live participants, within bounds.
 * A mixing room's worker also pays the mixer: K decodes and K+1 encodes every 20 ms whatever the room size,
 * counted in participant-equivalents on top of the live participants (participantsPerWorker is a worker's budget).
 */
public final class SfuSizing {
    /**
     * The mixer's costs, per 20 ms, from sfu-worker/bench/mcu.sh (sfu-worker/README.md, "MCU"): a CELT encode at
     * complexity 3 ~95 µs, a decode of what Chromium sends ~25 µs (an MCU room's codec work: ~0.45 ms for K = 3)...
     */
    static final int ENCODE_MICROS = 95;
    static final int DECODE_MICROS = 25;
    /** ...against one participant's forwarding: ~3 % of a core for audio + 500 kbit/s video to a few subscribers. */
    static final int PARTICIPANT_MICROS = 600;

    private SfuSizing() {
    }

    public static int replicas(SfuSpec sfu, RoomTopologyMode mode, int liveParticipants) {
        return replicas(sfu, mode, 0, 3, liveParticipants);
    }

    public static int replicas(SfuSpec sfu, RoomTopologyMode mode, int mcuThreshold, int mixerSpeakers, int liveParticipants) {
        if (mode == RoomTopologyMode.MESH) {
            return 0;
        }
        boolean mixing = mode == RoomTopologyMode.MCU
                || (mode == RoomTopologyMode.AUTO && mcuThreshold > 0 && liveParticipants > mcuThreshold);
        int load = liveParticipants + (mixing ? mixingLoad(mixerSpeakers) : 0);
        int needed = (load + sfu.participantsPerWorker - 1) / sfu.participantsPerWorker;
        return Math.max(sfu.minReplicas, Math.min(sfu.maxReplicas, needed));
    }

    /** The mixer's fixed cost in participant-equivalents, rounded up: 1 for K = 3, 4 for K = 15. */
    static int mixingLoad(int mixerSpeakers) {
        int micros = mixerSpeakers * DECODE_MICROS + (mixerSpeakers + 1) * ENCODE_MICROS;
        return (micros + PARTICIPANT_MICROS - 1) / PARTICIPANT_MICROS;
    }
}
