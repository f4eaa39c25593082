package io.webrtccluster.operator.room;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.crd.v1alpha1.RoomStatus;
import io.webrtccluster.operator.crd.v1alpha1.TopologySwitch;
import io.webrtccluster.operator.redis.RoomLive;
import io.webrtccluster.operator.status.Conditions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a Room's status says, from what the reconcile saw. Ready = policy in Redis and every desired worker ready. */
public final class RoomStatusFactory {

    private RoomStatusFactory() {
    }

    /** @param errors failures of this reconcile, by dependent name */
    public static RoomStatus status(Room room, Optional<Deployment> workers, Optional<RoomRecord> record,
                                    Map<String, Exception> errors, String redisUrl) {
        long generation = room.getMetadata().getGeneration() == null ? 0 : room.getMetadata().getGeneration();
        List<io.fabric8.kubernetes.api.model.Condition> previous = room.getStatus() == null ? List.of() : room.getStatus().conditions;
        RoomStatus s = new RoomStatus();
        s.observedGeneration = generation;
        s.roomId = room.roomId();
        s.participants = record.map(r -> r.live().participants()).orElse(room.getStatus() == null ? null : room.getStatus().participants);
        s.topology = record.map(r -> r.live().topology()).orElse(room.getStatus() == null ? null : room.getStatus().topology);
        // Read as a whole: Optional.map would turn a finished switch (null) back into the previous one.
        s.switching = record.isPresent() ? record.get().live().switching() : room.getStatus() == null ? null : room.getStatus().switching;
        // History, not state: a Redis that lost the room's state (restart, room ended) does not erase the last switch.
        s.lastSwitch = record.map(r -> r.live().lastSwitch()).map(RoomStatusFactory::lastSwitch)
                .orElse(room.getStatus() == null ? null : room.getStatus().lastSwitch);

        int desired = workers.map(d -> d.getSpec().getReplicas()).orElse(0);
        int ready = workers.map(d -> d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas()).orElse(0);
        boolean rolledOut = workers.map(d -> d.getStatus() != null && d.getStatus().getObservedGeneration() != null
                && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                && (d.getStatus().getUpdatedReplicas() == null ? 0 : d.getStatus().getUpdatedReplicas()) >= desired).orElse(false);
        s.desiredWorkers = desired;
        s.readyWorkers = ready;

        Exception redisError = errors.get(RoomRecordDependent.NAME);
        Exception otherError = errors.entrySet().stream().filter(e -> !e.getKey().equals(RoomRecordDependent.NAME))
                .map(Map.Entry::getValue).findFirst().orElse(null);

        if (redisError != null) {
            s.conditions = List.of(Conditions.ready(false, "RedisUnavailable",
                    "Redis at " + redisUrl + " is unreachable (" + Conditions.describe(redisError)
                            + "); the room policy is not updated and existing workers keep running",
                    generation, previous));
        } else if (otherError != null) {
            s.conditions = List.of(Conditions.ready(false, "ReconcileFailed", Conditions.describe(otherError), generation, previous));
        } else if (workers.isEmpty()) {
            s.conditions = List.of(Conditions.ready(false, "SfuWorkersPending", "SFU worker Deployment not created yet", generation, previous));
        } else if (!rolledOut || ready < desired) {
            s.conditions = List.of(Conditions.ready(false, "SfuWorkersNotReady",
                    ready + "/" + desired + " SFU workers ready", generation, previous));
        } else {
            s.conditions = List.of(Conditions.ready(true, "Ready",
                    "room policy in Redis, " + ready + "/" + desired + " SFU workers ready", generation, previous));
        }
        return s;
    }

    public static TopologySwitch lastSwitch(RoomLive.Switch live) {
        return new TopologySwitch(live.from(), live.to(), Instant.ofEpochMilli(live.at()).toString(), live.participants(),
                live.durationMillis());
    }
}
