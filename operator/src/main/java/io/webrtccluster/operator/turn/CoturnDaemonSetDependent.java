package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
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

/** Relays on every node's own network (hostNetwork): relayed candidates carry node addresses, any port range works. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class CoturnDaemonSetDependent extends CRUDKubernetesDependentResource<DaemonSet, TurnPool> {

    @Inject
    OperatorConfig config;

    public CoturnDaemonSetDependent() {
        super(DaemonSet.class);
    }

    @Override
    public Result<DaemonSet> match(DaemonSet actual, DaemonSet desired, TurnPool primary, Context<TurnPool> context) {
        return DesiredHash.match(actual, desired, null, null);
    }

    @Override
    protected DaemonSet desired(TurnPool pool, Context<TurnPool> context) {
        return DesiredHash.stamp(new DaemonSetBuilder()
                .withMetadata(Owners.ownedMetadata(pool, CoturnWorkload.name(pool), CoturnWorkload.labels(pool)))
                .withNewSpec()
                    .withNewSelector().withMatchLabels(Labels.selector(CoturnWorkload.COMPONENT, pool.getMetadata().getName())).endSelector()
                    .withTemplate(CoturnWorkload.podTemplate(pool, config, TurnPoolRecordDependent.secretHash(pool, context)))
                .endSpec()
                .build());
    }

    public static class Wanted implements Condition<DaemonSet, TurnPool> {
        @Override
        public boolean isMet(DependentResource<DaemonSet, TurnPool> dependent, TurnPool pool, Context<TurnPool> context) {
            return pool.getSpec().hostNetwork;
        }
    }
}
