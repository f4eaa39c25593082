package io.webrtccluster.operator.room;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.webrtccluster.operator.config.OperatorConfig;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.crd.v1alpha1.RoomStatus;
import io.webrtccluster.operator.redis.RoomStore;
import io.webrtccluster.operator.status.Conditions;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Room → its policy record in Redis, its SFU worker Deployment and Service, and a status read back from
 * Redis. Dependents reconcile independently, so Redis being down never blocks (or deletes) the workers.
 */
@ControllerConfiguration(name = "room")
@Workflow(handleExceptionsInReconciler = true, dependents = {
        @Dependent(type = RoomRecordDependent.class, name = "redis-record"),
        @Dependent(type = SfuDeploymentDependent.class, name = "sfu-deployment"),
        @Dependent(type = SfuServiceDependent.class, name = "sfu-service")
})
public class RoomReconciler implements io.javaoperatorsdk.operator.api.reconciler.Reconciler<Room> {

    @Inject
    OperatorConfig config;

    @Inject
    RoomStore store;

    @Override
    public UpdateControl<Room> reconcile(Room room, Context<Room> context) {
        @SuppressWarnings("rawtypes")
        Map<DependentResource, Exception> errors = context.managedWorkflowAndDependentResourceContext()
                .getWorkflowReconcileResult().map(r -> r.getErroredDependents()).orElse(Map.of());
        Optional<Deployment> workers = context.getSecondaryResource(Deployment.class);
        Optional<RoomRecord> record = context.getSecondaryResource(RoomRecord.class);

        RoomStatus status = RoomStatusFactory.status(room, workers, record, errors, store.url());
        boolean redisDown = errors.keySet().stream().anyMatch(d -> d instanceof RoomRecordDependent);

        UpdateControl<Room> control;
        if (status.equals(room.getStatus())) {
            control = UpdateControl.noUpdate();
        } else {
            Room patch = new Room();
            patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                    .withName(room.getMetadata().getName())
                    .withNamespace(room.getMetadata().getNamespace())
                    .build());
            patch.setStatus(status);
            control = UpdateControl.patchStatus(patch);
        }
        if (!errors.isEmpty()) {
            // Redis is probed again on this schedule (and on reconnect); the API server is not polled.
            control.rescheduleAfter(config.operator().redisRetry());
        }
        return control;
    }
}
