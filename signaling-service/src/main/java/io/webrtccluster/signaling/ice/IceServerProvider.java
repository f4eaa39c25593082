package io.webrtccluster.signaling.ice;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.turn.TurnCredential;
import io.webrtccluster.contracts.turn.TurnPoolRecord;
import io.webrtccluster.contracts.turn.TurnRestCredentials;
import io.webrtccluster.signaling.config.SignalingConfig;

/**
 * The ICE servers a participant gets on join: STUN as configured, TURN with short-lived TURN REST
 * credentials minted for that participant. Rotation happens on the TURN side: coturn accepts the
 * previous secret too during the grace window, while new credentials use the current one.
 */
@ApplicationScoped
public class IceServerProvider {
    private final SignalingConfig.Ice ice;
    private final LocalTurnServer localTurn;
    private final TurnPools pools;
    private final Clock clock;

    @Inject
    public IceServerProvider(SignalingConfig config, LocalTurnServer localTurn, TurnPools pools) {
        this.ice = config.ice();
        this.localTurn = localTurn;
        this.pools = pools;
        this.clock = Clock.systemUTC();
    }

    /**
     * The room's TurnPool servers when its policy names a pool the operator published; otherwise the
     * servers configured on this service (and the local run's coturn, if started).
     */
    public CompletionStage<List<IceServer>> forParticipant(String identity, RoomPolicy policy) {
        return pools.find(policy.turnPool()).thenApply(pool -> pool.map(p -> fromPool(p, identity))
                .orElseGet(() -> configured(identity)));
    }

    private List<IceServer> fromPool(TurnPoolRecord pool, String identity) {
        List<IceServer> out = new ArrayList<>();
        if (!pool.stunUrls().isEmpty()) {
            out.add(new IceServer(pool.stunUrls(), null, null));
        }
        TurnCredential c = TurnRestCredentials.mint(pool.secret(), identity, clock.instant(), Duration.ofSeconds(pool.ttlSeconds()));
        out.add(new IceServer(pool.turnUrls(), c.username(), c.password()));
        return out;
    }

    private List<IceServer> configured(String identity) {
        List<IceServer> out = new ArrayList<>();
        ice.stunUrls().filter(u -> !u.isEmpty()).ifPresent(urls -> out.add(new IceServer(urls, null, null)));
        List<String> turn = ice.turnUrls().orElse(List.of());
        if (!turn.isEmpty() && ice.turnSecret().isPresent()) {
            TurnCredential c = TurnRestCredentials.mint(ice.turnSecret().get(), identity, clock.instant(), ice.turnTtl());
            out.add(new IceServer(turn, c.username(), c.password()));
        }
        localTurn.endpoint().ifPresent(local -> {
            TurnCredential c = TurnRestCredentials.mint(local.secret(), identity, clock.instant(), ice.turnTtl());
            out.add(new IceServer(List.of(local.stunUrl()), null, null));
            out.add(new IceServer(local.urls(), c.username(), c.password()));
        });
        return out;
    }
}
