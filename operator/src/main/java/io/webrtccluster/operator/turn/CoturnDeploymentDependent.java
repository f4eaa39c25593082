package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.webrtccluster.operator.config.OperatorConfig;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.operator.workload.DesiredHash;
import io.webrtccluster.operator.workload.Labels;
import io.webrtccluster.operator.workload.Owners;
import jakarta.inject.Inject;

/** Relays as a Deployment behind the pool's Service (the default; relay ports go through the Service). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class CoturnDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, TurnPool> {

    @Inject
    OperatorConfig config;

    public CoturnDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    public Result<Deployment> match(Deployment actual, Deployment desired, TurnPool primary, Context<TurnPool> context) {
        return DesiredHash.match(actual, desired, actual.getSpec().getReplicas(), desired.getSpec().getReplicas());
    }

    @Override
    protected Deployment desired(TurnPool pool, Context<TurnPool> context) {
        return DesiredHash.stamp(build(pool, config, TurnPoolRecordDependent.secretHash(pool, context)));
    }

    public static Deployment build(TurnPool pool, OperatorConfig config) {
        return build(pool, config, null);
    }

    public static Deployment build(TurnPool pool, OperatorConfig config, String secretHash) {
        return new DeploymentBuilder()
                .withMetadata(Owners.ownedMetadata(pool, CoturnWorkload.name(pool), CoturnWorkload.labels(pool)))
                .withNewSpec()
                    .withReplicas(pool.getSpec().replicas)
                    .withNewSelector().withMatchLabels(Labels.selector(CoturnWorkload.COMPONENT, pool.getMetadata().getName())).endSelector()
                    .withTemplate(CoturnWorkload.podTemplate(pool, config, secretHash))
                .endSpec()
                .build();
    }

    public static class Wanted implements Condition<Deployment, TurnPool> {
        @Override
        public boolean isMet(DependentResource<Deployment, TurnPool> dependent, TurnPool pool, Context<TurnPool> context) {
            return !pool.getSpec().hostNetwork;
        }
    }
}
