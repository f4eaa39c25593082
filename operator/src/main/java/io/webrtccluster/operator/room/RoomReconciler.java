package io.webrtccluster.operator.room;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.webrtccluster.operator.config.OperatorConfig;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.crd.v1alpha1.RoomStatus;
import io.webrtccluster.operator.crd.v1alpha1.TopologySwitch;
import io.webrtccluster.operator.redis.RoomStore;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/**
 * Room → its policy record in Redis, its SFU worker Deployment and Service, and a status read back from
 * Redis. Dependents reconcile independently, so Redis being down never blocks (or deletes) the workers; the
 * failure lands in the Ready condition, and Redis (not the API server) is probed again on a schedule.
 */
@ControllerConfiguration(name = "room")
@Workflow(handleExceptionsInReconciler = true, dependents = {
        @Dependent(type = RoomRecordDependent.class, name = RoomRecordDependent.NAME),
        @Dependent(type = SfuDeploymentDependent.class, name = "sfu-deployment"),
        @Dependent(type = SfuServiceDependent.class, name = "sfu-service")
})
public class RoomReconciler implements Reconciler<Room> {

    @Inject
    OperatorConfig config;

    @Inject
    RoomStore store;

    @Override
    public UpdateControl<Room> reconcile(Room room, Context<Room> context) {
        Map<String, Exception> errors = new HashMap<>();
        context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult()
                .ifPresent(r -> r.getErroredDependents().forEach((d, e) -> errors.put(d.name(), e)));
        RoomStatus status = status(room, context, errors);
        announce(room, status, context);
        UpdateControl<Room> control = status.equals(room.getStatus()) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(patch(room, status));
        return errors.isEmpty() ? control : control.rescheduleAfter(config.operator().redisRetry());
    }

    /** Where a failing dependent lands when the SDK raises it instead of handing it to reconcile. */
    @Override
    public ErrorStatusUpdateControl<Room> updateErrorStatus(Room room, Context<Room> context, Exception e) {
        Map<String, Exception> errors = new HashMap<>();
        if (e instanceof AggregatedOperatorException agg) {
            errors.putAll(agg.getAggregatedExceptions());
        } else {
            errors.put("reconcile", e);
        }
        RoomStatus status = status(room, context, errors);
        announce(room, status, context);
        ErrorStatusUpdateControl<Room> control = status.equals(room.getStatus())
                ? ErrorStatusUpdateControl.noStatusUpdate() : ErrorStatusUpdateControl.patchStatus(patch(room, status));
        return control.withNoRetry().rescheduleAfter(config.operator().redisRetry());
    }

    private RoomStatus status(Room room, Context<Room> context, Map<String, Exception> errors) {
        return RoomStatusFactory.status(room, context.getSecondaryResource(Deployment.class),
                context.getSecondaryResource(RoomRecord.class), errors, store.url());
    }

    /** Before the status patch: a switch whose Event is recorded but whose patch is lost is refused the second time. */
    private static void announce(Room room, RoomStatus status, Context<Room> context) {
        TopologySwitch done = TopologySwitchedEvent.newSwitch(room.getStatus(), status);
        if (done != null) {
            TopologySwitchedEvent.record(context.getClient(), room, done);
        }
    }

    /** Only name and status: the status subresource ignores the rest, and an SSA patch should claim nothing else. */
    private static Room patch(Room room, RoomStatus status) {
        Room patch = new Room();
        patch.setMetadata(new ObjectMetaBuilder().withName(room.getMetadata().getName())
                .withNamespace(room.getMetadata().getNamespace()).build());
        patch.setStatus(status);
        return patch;
    }
}
