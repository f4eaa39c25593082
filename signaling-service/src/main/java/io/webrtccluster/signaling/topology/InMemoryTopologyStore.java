package io.webrtccluster.signaling.topology;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Topology state in process, for the single-replica local run. */
public final class InMemoryTopologyStore implements TopologyStore {
    private final Map<String, RoomTopology> states = new HashMap<>();
    private final Map<String, Set<String>> ready = new HashMap<>();

    @Override
    public synchronized CompletionStage<RoomTopology> read(String roomId) {
        return CompletableFuture.completedFuture(states.get(roomId));
    }

    @Override
    public synchronized CompletionStage<Boolean> compareAndSet(String roomId, long expectedVersion, RoomTopology next) {
        RoomTopology now = states.get(roomId);
        if ((now == null ? 0 : now.version()) != expectedVersion) {
            return CompletableFuture.completedFuture(false);
        }
        states.put(roomId, next.withVersion(expectedVersion + 1));
        ready.keySet().removeIf(k -> k.startsWith(roomId + "\n") && !k.equals(roomId + "\n" + next.epoch()));
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletionStage<Void> markReady(String roomId, long epoch, String participantId) {
        ready.computeIfAbsent(roomId + "\n" + epoch, k -> new HashSet<>()).add(participantId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Set<String>> ready(String roomId, long epoch) {
        return CompletableFuture.completedFuture(Set.copyOf(ready.getOrDefault(roomId + "\n" + epoch, Set.of())));
    }
}
