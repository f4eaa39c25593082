package io.webrtccluster.signaling.sfu;

import java.util.concurrent.CompletionStage;

import io.webrtccluster.contracts.sfu.WorkerRecord;

/** Which SFU worker serves a room (the registry workers keep in Redis). */
interface SfuDirectory {

    /** The room's worker, assigning one if it has none (or its worker is gone); fails with {@link SfuUnavailable}. */
    CompletionStage<WorkerRecord> workerFor(String room);

    /** The room's current worker without assigning, or null. */
    CompletionStage<WorkerRecord> currentWorker(String room);

    /** A worker's registration, draining or not; null once it expired or was removed. */
    CompletionStage<WorkerRecord> worker(String workerId);

    /** Calls {@code listener} with a worker's id when it announces that it stops (SIGTERM or exit). */
    void onWorkerStopping(java.util.function.Consumer<String> listener);

    /** Drops the room's assignment if it still names {@code workerId} (it died). */
    CompletionStage<Void> forget(String room, String workerId);

    /** Whether a worker could take the room now (it has one, or a live one may be assigned). */
    CompletionStage<Boolean> hasCapacity(String room);

    /** The room no longer uses an SFU: its next switch up is placed by load again. */
    CompletionStage<Void> release(String room);
}
