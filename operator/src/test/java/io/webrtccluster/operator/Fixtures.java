package io.webrtccluster.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.crd.v1alpha1.RoomSpec;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.operator.crd.v1alpha1.TurnPoolSpec;

public final class Fixtures {
    private Fixtures() {
    }

    public static Room room(String name) {
        Room room = new Room();
        room.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("calls").withGeneration(3L).build());
        room.setSpec(new RoomSpec());
        return room;
    }

    public static TurnPool pool(String name) {
        TurnPool pool = new TurnPool();
        pool.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("calls").withGeneration(1L).build());
        TurnPoolSpec spec = new TurnPoolSpec();
        spec.realm = "turn.example.com";
        pool.setSpec(spec);
        return pool;
    }
}
