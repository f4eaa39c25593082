package io.webrtccluster.signaling.sfu;

import java.util.concurrent.CompletionStage;

import io.webrtccluster.contracts.sfu.WorkerRecord;

/** Which SFU worker serves a room (the registry workers keep in Redis). */
interface SfuDirectory {

    /** The room's worker, assigning one if it has none (or its worker is gone); fails with {@link SfuUnavailable}. */
    CompletionStage<WorkerRecord> workerFor(String room);

    /** The room's current worker without assigning, or null. */
    CompletionStage<WorkerRecord> currentWorker(String room);

    /** Whether the worker still lives (its registration has not expired). */
    CompletionStage<Boolean> alive(String workerId);

    /** Drops the room's assignment if it still names {@code workerId} (it died). */
    CompletionStage<Void> forget(String room, String workerId);

    /** Whether a worker could take the room now (it has one, or a live one may be assigned). */
    CompletionStage<Boolean> hasCapacity(String room);

    /** The room no longer uses an SFU: its next switch up is placed by load again. */
    CompletionStage<Void> release(String room);
}
