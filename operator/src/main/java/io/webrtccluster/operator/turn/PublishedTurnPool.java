package io.webrtccluster.operator.turn;

import io.webrtccluster.contracts.turn.TurnPoolRecord;
import java.util.Objects;

/**
 * A TurnPool as published to signaling in Redis. A class around the contracts record: the SDK's build step
 * walks secondary resource types through the Jandex index, which does not contain java.lang.Record.
 */
public final class PublishedTurnPool {
    private final String key;
    private final TurnPoolRecord record;

    public PublishedTurnPool(String key, TurnPoolRecord record) {
        this.key = key;
        this.record = record;
    }

    /** {@code <namespace>/<name>}, what Room policies name. */
    public String key() {
        return key;
    }

    public TurnPoolRecord record() {
        return record;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublishedTurnPool p && key.equals(p.key) && Objects.equals(record, p.record);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, record);
    }
}
