package io.webrtccluster.operator.room;

import io.webrtccluster.operator.crd.v1alpha1.RoomTopologyMode;
import io.webrtccluster.operator.crd.v1alpha1.SfuSpec;

/** How many SFU workers a room gets: none for a mesh-only room, else enough for its live participants, within bounds. */
public final class SfuSizing {

    private SfuSizing() {
    }

    public static int replicas(SfuSpec sfu, RoomTopologyMode mode, int liveParticipants) {
        if (mode == RoomTopologyMode.MESH) {
            return 0;
        }
        int needed = (liveParticipants + sfu.participantsPerWorker - 1) / sfu.participantsPerWorker;
        return Math.max(sfu.minReplicas, Math.min(sfu.maxReplicas, needed));
    }
}
