package io.webrtccluster.signaling.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.webrtccluster.signaling.room.RoomStore;

/**
 * Ready only while the room store answers: a replica that cannot reach Redis takes no new clients.
 * Liveness has no Redis check on purpose — restarting a pod does not bring Redis back.
 */
@Readiness
@ApplicationScoped
public class RoomStoreReadiness implements AsyncHealthCheck {
    @Inject
    RoomStore store;

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(store::ping)
                .ifNoItem().after(Duration.ofSeconds(1)).fail()
                .map(ok -> HealthCheckResponse.named("room-store").status(ok).build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("room-store").down()
                        .withData("error", String.valueOf(e.getMessage())).build());
    }
}
