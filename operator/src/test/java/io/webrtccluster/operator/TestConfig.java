package io.webrtccluster.operator;

import io.webrtccluster.operator.config.OperatorConfig;
import java.time.Duration;
import java.util.Optional;

/** A plain OperatorConfig for tests of pure builders (no CDI container). */
public record TestConfig(String redisUrl, String sfuImage, String coturnImage) implements OperatorConfig {

    public static TestConfig defaults() {
        return new TestConfig("redis://redis.webrtc-system:6379", "example/sfu-worker:test", "coturn/coturn:4.6.3");
    }

    @Override
    public Redis redis() {
        return () -> redisUrl;
    }

    @Override
    public Operator operator() {
        return new Operator() {
            public String sfuImage() { return sfuImage; }
            public String coturnImage() { return coturnImage; }
            public Optional<String> workerRedisUrl() { return Optional.empty(); }
            public String leaseName() { return "test"; }
            public Duration leaseDuration() { return Duration.ofSeconds(15); }
            public Duration leaseRenewDeadline() { return Duration.ofSeconds(10); }
            public Duration leaseRetryPeriod() { return Duration.ofSeconds(2); }
            public Optional<String> leaseNamespace() { return Optional.empty(); }
            public Duration redisRetry() { return Duration.ofSeconds(10); }
        };
    }
}
