package io.webrtccluster.signaling.session;

import java.util.UUID;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.webrtccluster.signaling.admission.Admission;
import io.webrtccluster.signaling.config.SignalingConfig;
import io.webrtccluster.signaling.ice.IceServerProvider;
import io.webrtccluster.signaling.relay.Relay;
import io.webrtccluster.signaling.room.RoomStore;
import io.webrtccluster.signaling.sfu.SfuBridge;
import io.webrtccluster.signaling.token.JoinTokenSigner;
import io.webrtccluster.signaling.topology.TopologyCoordinator;

/** What every peer session works with; one instance per replica. */
@Singleton // not a client proxy: sessions read its fields directly
public class SessionContext {
    final RoomStore store;
    final Relay relay;
    final JoinTokenSigner tokens;
    final IceServerProvider ice;
    final SignalingConfig config;
    final LocalSessions locals;
    final String replicaId;
    final SfuBridge sfu;
    final TopologyCoordinator topology;
    final Admission admission;
    final Counter relayed;
    final Counter errors;

    @Inject
    public SessionContext(RoomStore store, Relay relay, JoinTokenSigner tokens, IceServerProvider ice,
                          SignalingConfig config, LocalSessions locals, SfuBridge sfu, TopologyCoordinator topology,
                          MeterRegistry metrics, Admission admission) {
        this.sfu = sfu;
        this.topology = topology;
        this.admission = admission;
        topology.watchRooms(locals::rooms);
        this.store = store;
        this.relay = relay;
        this.tokens = tokens;
        this.ice = ice;
        this.config = config;
        this.locals = locals;
        this.replicaId = config.replicaId().orElse("replica-" + UUID.randomUUID().toString().substring(0, 8));
        this.relayed = metrics.counter("wrc_signaling_messages_relayed_total");
        this.errors = metrics.counter("wrc_signaling_errors_sent_total");
        metrics.gauge("wrc_signaling_sessions", locals, LocalSessions::size);
    }

    public String replicaId() {
        return replicaId;
    }
}
