package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
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
 *
 * <p>The relays' workloads depend on this one and wait until {@link Available} holds: their pod template carries
 * the Secret's hash, so a workload created before its Secret would be rolled as soon as the Secret appeared
 * (relays replaced right after install). A pool naming a Secret of its own generates nothing, and is not
 * expressed as a reconcile precondition: an unmet precondition would delete the dependents (the relays) too.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class AuthSecretDependent extends KubernetesDependentResource<Secret, TurnPool>
        implements Creator<Secret, TurnPool>, GarbageCollected<TurnPool> {

    public static final String NAME = "auth-secret";
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

    @Override
    public ReconcileResult<Secret> reconcile(TurnPool pool, Context<TurnPool> context) {
        if (pool.getSpec().authSecretName == null) {
            return super.reconcile(pool, context);
        }
        // The pool names its own Secret: a generated one left from before goes (the relays have moved off it).
        getSecondaryResource(pool, context)
                .filter(s -> !s.getMetadata().getName().equals(pool.getSpec().authSecretName))
                .ifPresent(s -> delete(pool, context));
        return ReconcileResult.noOperation(null);
    }

    /** Ready once the Secret the relays read exists (the generated one is in the cache as soon as it is created). */
    public static class Available implements Condition<Secret, TurnPool> {
        @Override
        public boolean isMet(DependentResource<Secret, TurnPool> dependent, TurnPool pool, Context<TurnPool> context) {
            return TurnPoolRecordDependent.authSecret(pool, context).isPresent();
        }
    }
}
