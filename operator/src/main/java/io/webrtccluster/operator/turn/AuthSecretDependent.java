package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.operator.workload.Labels;
import io.webrtccluster.operator.workload.Owners;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The generated TURN REST secret. Create-only (no Updater): the random value is made once and then left alone,
 * so reconciles and operator restarts never rotate it under running clients. Rotation is a person's act: put the
 * old value under {@value #PREVIOUS_KEY} and a new one under {@value #KEY}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class AuthSecretDependent extends KubernetesDependentResource<Secret, TurnPool>
        implements Creator<Secret, TurnPool>, GarbageCollected<TurnPool> {

    public static final String KEY = "static-auth-secret";
    public static final String PREVIOUS_KEY = "previous-static-auth-secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    public AuthSecretDependent() {
        super(Secret.class);
    }

    /** The Secret the pool's relays read: the referenced one, or the generated one. */
    public static String name(TurnPool pool) {
        String ref = pool.getSpec().authSecretName;
        return ref != null ? ref : pool.getMetadata().getName() + "-turn-auth";
    }

    @Override
    protected Secret desired(TurnPool pool, Context<TurnPool> context) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new SecretBuilder()
                .withMetadata(Owners.ownedMetadata(pool, name(pool), CoturnWorkload.labels(pool)))
                .withType("Opaque")
                .withStringData(Map.of(KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(secret)))
                .build();
    }

    /** Generate only when the pool does not reference a Secret of its own. */
    public static class Generated implements Condition<Secret, TurnPool> {
        @Override
        public boolean isMet(DependentResource<Secret, TurnPool> dependent, TurnPool pool, Context<TurnPool> context) {
            return pool.getSpec().authSecretName == null;
        }
    }
}
