package io.webrtccluster.operator.room;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.redis.RoomStore;
import jakarta.inject.Inject;
import java.util.Objects;
import java.util.Optional;

/**
 * The Room's policy record in Redis ({@code RoomPolicy.toHash()} under {@code RedisKeys.roomPolicy(roomId)}):
 * an external dependent. Being a {@link Deleter} makes the SDK put a finalizer on the Room, so the record goes
 * when the Room goes, and a Room whose record cannot be deleted (Redis down) stays until it can.
 */
public class RoomRecordDependent implements DependentResource<RoomRecord, Room>, Deleter<Room> {

    /** The workflow finds dependents by name; a dependent not built on the SDK's base classes must say its own. */
    public static final String NAME = "redis-record";

    @Inject
    RoomStore store;

    @Override
    public String name() {
        return NAME;
    }

    private RoomEventSource events;

    @Override
    public Class<RoomRecord> resourceType() {
        return RoomRecord.class;
    }

    @Override
    public Optional<? extends EventSource<RoomRecord, Room>> eventSource(EventSourceContext<Room> context) {
        events = new RoomEventSource(store.url(), store, context.getPrimaryCache());
        return Optional.of(events);
    }

    @Override
    public Optional<RoomRecord> getSecondaryResource(Room room, Context<Room> context) {
        return events.lastKnown(room.roomId());
    }

    @Override
    public ReconcileResult<RoomRecord> reconcile(Room room, Context<Room> context) {
        String roomId = room.roomId();
        RoomPolicy desired = desired(room);
        Optional<RoomPolicy> actual = store.policy(roomId);
        if (actual.isEmpty() || !Objects.equals(actual.get(), desired)) {
            store.writePolicy(roomId, desired);
        }
        RoomRecord record = new RoomRecord(roomId, desired, store.live(roomId));
        events.remember(record);
        if (actual.isEmpty()) {
            return ReconcileResult.resourceCreated(record);
        }
        return actual.get().equals(desired) ? ReconcileResult.noOperation(record) : ReconcileResult.resourceUpdated(record);
    }

    @Override
    public void delete(Room room, Context<Room> context) {
        store.deletePolicy(room.roomId());
        events.forget(room.roomId());
    }

    static RoomPolicy desired(Room room) {
        var spec = room.getSpec();
        Long generation = room.getMetadata().getGeneration();
        // Signaling looks the pool up as RedisKeys.turnPool("<namespace>/<name>"); a Room names a pool of its namespace.
        String turnPool = spec.turnPool == null ? null : room.getMetadata().getNamespace() + "/" + spec.turnPool;
        return new RoomPolicy(spec.maxParticipants, spec.meshThreshold, spec.topology.toPolicy(), turnPool,
                true, generation == null ? 0 : generation, spec.hysteresisSeconds, spec.mcuThreshold, spec.mixerSpeakers);
    }
}
