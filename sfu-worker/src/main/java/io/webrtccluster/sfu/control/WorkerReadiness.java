package io.webrtccluster.sfu.control;

import io.webrtccluster.sfu.worker.MediaWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready while draining, so nothing routes new participants here. */
@Readiness
@ApplicationScoped
public class WorkerReadiness implements HealthCheck {
    @Inject
    MediaWorker worker;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("sfu-worker").status(!worker.draining())
                .withData("participants", worker.participants()).withData("udpPort", worker.udpPort()).build();
    }
}
