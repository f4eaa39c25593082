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

/**
 * TurnPool → hardened turnserver.conf (ConfigMap), auth Secret, coturn Deployment or DaemonSet, Service, TURN URLs.
 * The relays' workload waits for the auth Secret (dependsOn): created with the Secret's hash in its pod template, it
 * is never rolled right after creation. A Secret the pool names but that does not exist yet holds the relays back
 * (status says so) and is looked for again every {@value #RETRY_MS} ms: it is not watched.
 */
@ControllerConfiguration(name = "turnpool")
@Workflow(handleExceptionsInReconciler = true, dependents = {
        @Dependent(type = AuthSecretDependent.class, name = AuthSecretDependent.NAME, readyPostcondition = AuthSecretDependent.Available.class),
        @Dependent(type = CoturnConfigMapDependent.class, name = "config"),
        // After the Secret: the pod template carries its hash, so each workload is created once, final.
        @Dependent(type = CoturnDeploymentDependent.class, name = "deployment", dependsOn = AuthSecretDependent.NAME,
                reconcilePrecondition = CoturnDeploymentDependent.Wanted.class),
        @Dependent(type = CoturnDaemonSetDependent.class, name = "daemonset", dependsOn = AuthSecretDependent.NAME,
                reconcilePrecondition = CoturnDaemonSetDependent.Wanted.class),
        @Dependent(type = TurnServiceDependent.class, name = "service"),
        @Dependent(type = TurnPoolRecordDependent.class, name = TurnPoolRecordDependent.NAME)
})
public class TurnPoolReconciler implements Reconciler<TurnPool> {

    static final long RETRY_MS = 10_000;

    @Override
    public UpdateControl<TurnPool> reconcile(TurnPool pool, Context<TurnPool> context) {
        Map<String, Exception> errors = new java.util.HashMap<>();
        var result = context.managedWorkflowAndDependentResourceContext().getWorkflowReconcileResult();
        result.ifPresent(r -> r.getErroredDependents().forEach((d, e) -> errors.put(d.name(), e)));
        boolean secretMissing = result.map(r -> r.getNotReadyDependents().stream()
                .anyMatch(d -> AuthSecretDependent.NAME.equals(d.name()))).orElse(false);
        TurnPoolStatus status = status(pool, context, errors, secretMissing);
        boolean retry = !errors.isEmpty() || secretMissing;
        if (status.equals(pool.getStatus())) {
            return retry ? UpdateControl.<TurnPool>noUpdate().rescheduleAfter(RETRY_MS) : UpdateControl.noUpdate();
        }
        var control = UpdateControl.patchStatus(patch(pool, status));
        return retry ? control.rescheduleAfter(RETRY_MS) : control;
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
        TurnPoolStatus status = status(pool, context, errors, false);
        return status.equals(pool.getStatus())
                ? io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl.defaultErrorProcessing()
                : io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl.patchStatus(patch(pool, status));
    }

    private static TurnPoolStatus status(TurnPool pool, Context<TurnPool> context, Map<String, Exception> errors, boolean secretMissing) {
        Optional<Deployment> deployment = pool.getSpec().hostNetwork ? Optional.empty() : context.getSecondaryResource(Deployment.class);
        Optional<DaemonSet> daemonSet = pool.getSpec().hostNetwork ? context.getSecondaryResource(DaemonSet.class) : Optional.empty();
        Optional<Service> service = context.getSecondaryResource(Service.class);

        return TurnPoolStatusFactory.status(pool, deployment, daemonSet, service, errors.values().stream().findFirst(), secretMissing);
    }

    private static TurnPool patch(TurnPool pool, TurnPoolStatus status) {
        TurnPool patch = new TurnPool();
        patch.setMetadata(new ObjectMetaBuilder().withName(pool.getMetadata().getName())
                .withNamespace(pool.getMetadata().getNamespace()).build());
        patch.setStatus(status);
        return patch;
    }
}
