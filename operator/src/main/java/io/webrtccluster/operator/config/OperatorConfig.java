package io.webrtccluster.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The operator's {@code wrc.*} configuration (env: WRC_REDIS_URL, WRC_OPERATOR_SFU_IMAGE, ...). */
@ConfigMapping(prefix = "wrc")
public interface OperatorConfig {

    Redis redis();

    Operator operator();

    interface Redis {
        /** Where the operator writes room policies and listens for room events. */
        @WithDefault("redis://127.0.0.1:6379")
        String url();
    }

    interface Operator {
        @WithDefault("ghcr.io/webrtc-cluster/sfu-worker:0.1.0")
        String sfuImage();

        @WithDefault("coturn/coturn:4.6.3")
        String coturnImage();

        /** Redis URL handed to SFU worker pods (as the cluster network reaches Redis); defaults to wrc.redis.url. */
        Optional<String> workerRedisUrl();

        @WithDefault("webrtc-cluster-operator")
        String leaseName();

        /** How long a crashed leader blocks a successor; a cleanly stopped one too (JOSDK does not release the Lease). */
        @WithDefault("15s")
        Duration leaseDuration();

        @WithDefault("10s")
        Duration leaseRenewDeadline();

        @WithDefault("2s")
        Duration leaseRetryPeriod();

        /** Namespace of the leader-election Lease; defaults to the namespace the operator runs in. */
        Optional<String> leaseNamespace();

        /** How soon a Room is looked at again while Redis is unreachable (Redis is probed, not the API server). */
        @WithDefault("10s")
        Duration redisRetry();
    }
}
