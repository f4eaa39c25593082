package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.contracts.turn.TurnPoolRecord;
import io.webrtccluster.contracts.turn.TurnUrls;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.operator.redis.RoomStore;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The pool's {@link TurnPoolRecord} in Redis ({@code RedisKeys.turnPool("<namespace>/<name>")}): the URLs and the
 * current secret signaling mints credentials with. External dependent; as a {@link Deleter} it gives TurnPools a
 * finalizer, so the record goes with the pool. Changes arrive as TurnPool, Secret and Service events: no polling.
 */
public class TurnPoolRecordDependent implements DependentResource<PublishedTurnPool, TurnPool>, Deleter<TurnPool> {

    public static final String NAME = "redis-record";

    @Inject
    RoomStore store;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<PublishedTurnPool> resourceType() {
        return PublishedTurnPool.class;
    }

    public static String key(TurnPool pool) {
        return pool.getMetadata().getNamespace() + "/" + pool.getMetadata().getName();
    }

    @Override
    public ReconcileResult<PublishedTurnPool> reconcile(TurnPool pool, Context<TurnPool> context) {
        Optional<Service> service = context.getSecondaryResource(Service.class);
        Optional<String> secret = secret(pool, context);
        if (service.isEmpty() || secret.isEmpty()) {
            return ReconcileResult.noOperation(null); // the Service/Secret event that follows reconciles again
        }
        var spec = pool.getSpec();
        String host = TurnPoolStatusFactory.host(pool, service.get());
        List<String> urls = new ArrayList<>();
        urls.add(TurnUrls.stun(host, spec.listeningPort));
        urls.addAll(TurnUrls.of(host, spec.listeningPort, spec.tlsSecretName != null, 5349));
        var desired = new PublishedTurnPool(key(pool), new TurnPoolRecord(urls, secret.get(), spec.credentialTtlSeconds));
        String redisKey = RedisKeys.turnPool(desired.key());
        if (desired.record().toHash().equals(store.hash(redisKey))) {
            return ReconcileResult.noOperation(desired);
        }
        store.replaceHash(redisKey, desired.record().toHash());
        return ReconcileResult.resourceUpdated(desired);
    }

    @Override
    public void delete(TurnPool pool, Context<TurnPool> context) {
        store.delete(RedisKeys.turnPool(key(pool)));
    }

    /** The current secret: from the generated Secret (informer cache) or the pool's own Secret (read when needed). */
    static Optional<String> secret(TurnPool pool, Context<TurnPool> context) {
        return authSecret(pool, context).map(Secret::getData).map(d -> d.get(AuthSecretDependent.KEY))
                .map(b64 -> new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8));
    }

    static Optional<Secret> authSecret(TurnPool pool, Context<TurnPool> context) {
        return pool.getSpec().authSecretName == null
                ? context.getSecondaryResource(Secret.class)
                : Optional.ofNullable(context.getClient().secrets().inNamespace(pool.getMetadata().getNamespace())
                        .withName(AuthSecretDependent.name(pool)).get());
    }

    /** Hash of the current and previous secret values (what coturn was started with), for the pod template. */
    static String secretHash(TurnPool pool, Context<TurnPool> context) {
        return authSecret(pool, context).map(Secret::getData)
                .map(d -> CoturnConfig.hash(d.getOrDefault(AuthSecretDependent.KEY, "") + "\n"
                        + d.getOrDefault(AuthSecretDependent.PREVIOUS_KEY, "")))
                .orElse(null);
    }
}
