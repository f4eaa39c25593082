package io.webrtccluster.operator.room;

import io.webrtccluster.operator.crd.v1alpha1.RoomTopologyMode;
import io.webrtccluster.operator.crd.v1alpha1.SfuSpec;

/**
 * How many SFU workers a room gets: none for a mesh-only room, else enough for its live participants, within bounds.
 * An MCU room's worker also mixes: K decodes and K+1 encodes every 20 ms whatever the room size, counted as
 * {@link #CODEC_LOAD} participants each on top of the live ones (a worker's participantsPerWorker is its budget).
 */
public final class SfuSizing {
    /**
     * One Opus encode or decode per 20 ms (Concentus, ~0.6 and ~0.2 ms a frame: 1-3 % of a core) weighed against
     * one participant's forwarding (~2-4 % of a core for audio + 500 kbit/s video to a few subscribers; sfu-worker/README.md).
     */
    static final int CODEC_LOAD = 1;

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

    /** The mixer's fixed cost in participant-equivalents: K decodes + K + 1 encodes per 20 ms. */
    static int mixingLoad(int mixerSpeakers) {
        return (2 * mixerSpeakers + 1) * CODEC_LOAD;
    }
}
