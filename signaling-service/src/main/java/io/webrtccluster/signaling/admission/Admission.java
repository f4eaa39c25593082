package io.webrtccluster.signaling.admission;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.webrtccluster.signaling.config.SignalingConfig;
import io.webrtccluster.signaling.token.JoinToken;
import io.webrtccluster.signaling.token.JoinTokenSigner;
import io.webrtccluster.signaling.token.TokenRejected;

/** Who may connect and try credentials, per client address and per replica; one instance per replica. */
@Singleton
public class Admission {
    private static final Logger LOG = Logger.getLogger(Admission.class);

    private final ClientAddress clientAddress;
    private final ConnectionLimits connections;
    private final AuthFailures joinFailures;
    private final AuthFailures apiKeyFailures;

    @Inject
    public Admission(SignalingConfig config) {
        SignalingConfig.Limits limits = config.limits();
        this.clientAddress = new ClientAddress(limits.trustedProxies().orElse(List.of()));
        int perReplica = limits.maxConnections().orElseGet(() -> ConnectionLimits.fromDescriptorLimit(limits.reservedDescriptors()));
        this.connections = new ConnectionLimits(perReplica, limits.connectionsPerAddress());
        this.joinFailures = new AuthFailures(limits.authFailuresPerMinute(), System::nanoTime);
        this.apiKeyFailures = new AuthFailures(limits.authFailuresPerMinute(), System::nanoTime);
        LOG.infof("signaling sockets: at most %d per replica, %d per client address", perReplica, limits.connectionsPerAddress());
    }

    /** An address that failed too many authentications; the message says when to retry. */
    public static final class TooManyAttempts extends Exception {
        TooManyAttempts(String message) {
            super(message, null, false, false);
        }
    }

    /** Verifies a join token unless {@code address} failed too often lately; a token that does not verify counts. */
    public JoinToken verifyJoin(JoinTokenSigner tokens, String address, String token) throws TokenRejected, TooManyAttempts {
        Duration wait = joinFailures.retryAfter(address);
        if (wait != null) {
            throw new TooManyAttempts("too many joins with invalid tokens from your address; retry in "
                    + Math.max(1, (wait.toMillis() + 999) / 1000) + " s");
        }
        try {
            return tokens.verify(token);
        } catch (TokenRejected e) {
            joinFailures.failed(address);
            throw e;
        }
    }

    public ClientAddress clientAddress() {
        return clientAddress;
    }

    public ConnectionLimits connections() {
        return connections;
    }

    /** Join tokens that did not verify. */
    public AuthFailures joinFailures() {
        return joinFailures;
    }

    /** Wrong API keys at POST /v1/tokens. */
    public AuthFailures apiKeyFailures() {
        return apiKeyFailures;
    }
}
