package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.operator.workload.Labels;
import io.webrtccluster.operator.workload.Owners;
import java.util.Map;

@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class CoturnConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, TurnPool> {

    public CoturnConfigMapDependent() {
        super(ConfigMap.class);
    }

    public static String name(TurnPool pool) {
        return pool.getMetadata().getName() + "-turnserver-conf";
    }

    @Override
    protected ConfigMap desired(TurnPool pool, Context<TurnPool> context) {
        return new ConfigMapBuilder()
                .withMetadata(Owners.ownedMetadata(pool, name(pool), CoturnWorkload.labels(pool)))
                .withData(Map.of(CoturnConfig.CONFIG_KEY, CoturnConfig.render(pool.getSpec())))
                .build();
    }
}
