package io.webrtccluster.natlab;

import io.webrtccluster.contracts.turn.TurnServerConfig;

/** The lab's coturn configuration: production hardening from the shared renderer, lab addresses and ports. */
final class LabCoturn {
    static final String REALM = "natlab.webrtc-cluster.io";
    static final String SECRET = "lab-pool-secret-current";
    static final String OTHER_POOL_SECRET = "another-pool-secret";

    private LabCoturn() {
    }

    /**
     * Listens on both public addresses (coturn then answers RFC 5780 behaviour discovery), relays from the first, denies
     * the lab's cluster range on top of the built-in blocks.
     */
    static TurnServerConfig.Builder config(int port) {
        return TurnServerConfig.builder(REALM)
                .listeningPort(port)
                .listeningIps(NatLab.PUBLIC_IP, NatLab.PUBLIC_ALT_IP)
                .relayIps(NatLab.PUBLIC_IP)
                .relayPorts(50000, 50999)
                .authSecrets(SECRET)
                .denyPeers(NatLab.CLUSTER_CIDR)
                .prometheus(false);
    }
}
