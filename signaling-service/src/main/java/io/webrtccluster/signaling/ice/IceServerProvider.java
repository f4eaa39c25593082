package io.webrtccluster.signaling.ice;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.webrtccluster.contracts.turn.TurnCredential;
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
    private final Clock clock;

    @Inject
    public IceServerProvider(SignalingConfig config, LocalTurnServer localTurn) {
        this.ice = config.ice();
        this.localTurn = localTurn;
        this.clock = Clock.systemUTC();
    }

    public List<IceServer> forParticipant(String identity) {
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
