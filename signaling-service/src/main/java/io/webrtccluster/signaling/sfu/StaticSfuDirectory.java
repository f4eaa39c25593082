package io.webrtccluster.signaling.sfu;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.webrtccluster.contracts.sfu.WorkerRecord;

/**
 * One fixed worker, for the local run without Redis ({@code wrc.sfu.worker-url}): workers cannot
 * register anywhere, so the one configured serves every room while its health endpoint answers.
 */
final class StaticSfuDirectory implements SfuDirectory {
    private static final String ID = "local-worker";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final WorkerRecord worker;

    StaticSfuDirectory(String controlUrl) {
        this.worker = new WorkerRecord(ID, controlUrl.replaceAll("/+$", ""), null, 0, 0, 0, false);
    }

    @Override
    public CompletionStage<WorkerRecord> workerFor(String room) {
        return alive(ID).thenApply(up -> {
            if (!up) {
                throw new SfuUnavailable("the local SFU worker at " + worker.controlUrl() + " does not answer");
            }
            return worker;
        });
    }

    @Override
    public CompletionStage<WorkerRecord> currentWorker(String room) {
        return CompletableFuture.completedFuture(worker);
    }

    @Override
    public CompletionStage<Boolean> alive(String workerId) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(worker.controlUrl() + "/q/health/live")).timeout(Duration.ofSeconds(1)).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).thenApply(r -> r.statusCode() == 200)
                .exceptionally(e -> false);
    }

    @Override
    public CompletionStage<Void> forget(String room, String workerId) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> hasCapacity(String room) {
        return alive(ID);
    }

    @Override
    public CompletionStage<Void> release(String room) {
        return CompletableFuture.completedFuture(null);
    }
}
