package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.operator.crd.v1alpha1.TurnPoolStatus;
import java.util.Map;
import java.util.Optional;

/** TurnPool → hardened turnserver.conf (ConfigMap), auth Secret, coturn Deployment or DaemonSet, Service, TURN URLs. */
@ControllerConfiguration(name = "turnpool")
@Workflow(handleExceptionsInReconciler = true, dependents = {
        @Dependent(type = AuthSecretDependent.class, name = "auth-secret", reconcilePrecondition = AuthSecretDependent.Generated.class),
        @Dependent(type = CoturnConfigMapDependent.class, name = "config"),
        @Dependent(type = CoturnDeploymentDependent.class, name = "deployment", reconcilePrecondition = CoturnDeploymentDependent.Wanted.class),
        @Dependent(type = CoturnDaemonSetDependent.class, name = "daemonset", reconcilePrecondition = CoturnDaemonSetDependent.Wanted.class),
        @Dependent(type = TurnServiceDependent.class, name = "service"),
        @Dependent(type = TurnPoolRecordDependent.class, name = TurnPoolRecordDependent.NAME)
})
public class TurnPoolReconciler implements Reconciler<TurnPool> {

    @Override
    public UpdateControl<TurnPool> reconcile(TurnPool pool, Context<TurnPool> context) {
        Map<String, Exception> errors = new java.util.HashMap<>();
        context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult()
                .ifPresent(r -> r.getErroredDependents().forEach((d, e) -> errors.put(d.name(), e)));
        TurnPoolStatus status = status(pool, context, errors);
        if (status.equals(pool.getStatus())) {
            return errors.isEmpty() ? UpdateControl.noUpdate() : UpdateControl.<TurnPool>noUpdate().rescheduleAfter(10_000);
        }
        var control = UpdateControl.patchStatus(patch(pool, status));
        return errors.isEmpty() ? control : control.rescheduleAfter(10_000);
    }

    @Override
    public io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl<TurnPool> updateErrorStatus(
            TurnPool pool, Context<TurnPool> context, Exception e) {
        Map<String, Exception> errors = new java.util.HashMap<>();
        if (e instanceof io.javaoperatorsdk.operator.AggregatedOperatorException agg) {
            errors.putAll(agg.getAggregatedExceptions());
        } else {
            errors.put("reconcile", e);
        }
        TurnPoolStatus status = status(pool, context, errors);
        return status.equals(pool.getStatus())
                ? io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl.defaultErrorProcessing()
                : io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl.patchStatus(patch(pool, status));
    }

    private static TurnPoolStatus status(TurnPool pool, Context<TurnPool> context, Map<String, Exception> errors) {
        Optional<Deployment> deployment = pool.getSpec().hostNetwork ? Optional.empty() : context.getSecondaryResource(Deployment.class);
        Optional<DaemonSet> daemonSet = pool.getSpec().hostNetwork ? context.getSecondaryResource(DaemonSet.class) : Optional.empty();
        Optional<Service> service = context.getSecondaryResource(Service.class);

        return TurnPoolStatusFactory.status(pool, deployment, daemonSet, service, errors.values().stream().findFirst());
    }

    private static TurnPool patch(TurnPool pool, TurnPoolStatus status) {
        TurnPool patch = new TurnPool();
        patch.setMetadata(new ObjectMetaBuilder().withName(pool.getMetadata().getName())
                .withNamespace(pool.getMetadata().getNamespace()).build());
        patch.setStatus(status);
        return patch;
    }
}
