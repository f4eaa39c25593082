package io.webrtccluster.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Two operator replicas never both reconcile: only the holder of the Lease starts its controllers. */
public class LeaderElection {

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        var b = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(config.operator().leaseName());
        b.withLeaseDuration(config.operator().leaseDuration())
                .withRenewDeadline(config.operator().leaseRenewDeadline())
                .withRetryPeriod(config.operator().leaseRetryPeriod());
        config.operator().leaseNamespace().ifPresent(b::withLeaseNamespace);
        return b.build();
    }
}
