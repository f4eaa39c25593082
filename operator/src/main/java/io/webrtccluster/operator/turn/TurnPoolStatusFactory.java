package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.webrtccluster.contracts.turn.TurnUrls;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.operator.crd.v1alpha1.TurnPoolStatus;
import io.webrtccluster.operator.status.Conditions;
import java.util.List;
import java.util.Optional;

/** The pool's status: where clients reach it and whether its relays run. */
public final class TurnPoolStatusFactory {

    private TurnPoolStatusFactory() {
    }

    public static TurnPoolStatus status(TurnPool pool, Optional<Deployment> deployment, Optional<DaemonSet> daemonSet,
                                        Optional<Service> service, Optional<Exception> error) {
        return status(pool, deployment, daemonSet, service, error, false);
    }

    /** @param secretMissing the auth Secret the relays read does not exist (yet): they are not created before it is */
    public static TurnPoolStatus status(TurnPool pool, Optional<Deployment> deployment, Optional<DaemonSet> daemonSet,
                                        Optional<Service> service, Optional<Exception> error, boolean secretMissing) {
        var spec = pool.getSpec();
        long generation = pool.getMetadata().getGeneration() == null ? 0 : pool.getMetadata().getGeneration();
        var previous = pool.getStatus() == null ? List.<io.fabric8.kubernetes.api.model.Condition>of() : pool.getStatus().conditions;
        TurnPoolStatus s = new TurnPoolStatus();
        s.observedGeneration = generation;
        s.mode = spec.hostNetwork ? "DaemonSet" : "Deployment";
        s.secretName = AuthSecretDependent.name(pool);
        s.urls = service.map(svc -> TurnUrls.of(host(pool, svc), spec.listeningPort, spec.tlsSecretName != null, 5349)).orElse(List.of());

        int desired;
        int ready;
        boolean current;
        if (spec.hostNetwork) {
            desired = daemonSet.map(d -> d.getStatus() == null ? 0 : nz(d.getStatus().getDesiredNumberScheduled())).orElse(0);
            ready = daemonSet.map(d -> d.getStatus() == null ? 0 : nz(d.getStatus().getNumberReady())).orElse(0);
            current = daemonSet.map(d -> d.getStatus() != null && d.getStatus().getObservedGeneration() != null
                    && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                    && nz(d.getStatus().getUpdatedNumberScheduled()) >= nz(d.getStatus().getDesiredNumberScheduled())).orElse(false);
        } else {
            desired = spec.replicas;
            ready = deployment.map(d -> d.getStatus() == null ? 0 : nz(d.getStatus().getReadyReplicas())).orElse(0);
            current = deployment.map(d -> d.getStatus() != null && d.getStatus().getObservedGeneration() != null
                    && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                    && nz(d.getStatus().getUpdatedReplicas()) >= spec.replicas).orElse(false);
        }
        s.readyReplicas = ready;

        if (error.isPresent()) {
            String reason = Conditions.rootCause(error.get()) instanceof IllegalArgumentException ? "InvalidSpec" : "ReconcileFailed";
            s.conditions = List.of(Conditions.ready(false, reason, Conditions.describe(error.get()), generation, previous));
        } else if (secretMissing) {
            s.conditions = List.of(Conditions.ready(false, "SecretMissing", "Secret " + s.secretName
                    + " not found: the relays start once it exists (key " + AuthSecretDependent.KEY + ")", generation, previous));
        } else if (service.isEmpty() || (deployment.isEmpty() && daemonSet.isEmpty())) {
            s.conditions = List.of(Conditions.ready(false, "RelaysPending", "coturn workload or Service not created yet", generation, previous));
        } else if (!current || ready < desired || desired == 0) {
            s.conditions = List.of(Conditions.ready(false, "RelaysNotReady", ready + "/" + desired + " relays ready", generation, previous));
        } else {
            s.conditions = List.of(Conditions.ready(true, "Ready", ready + "/" + desired + " relays ready", generation, previous));
        }
        return s;
    }

    /** publicHost, else the external IP's public half, else the load balancer, else the Service's cluster DNS name. */
    static String host(TurnPool pool, Service svc) {
        var spec = pool.getSpec();
        if (spec.publicHost != null) {
            return spec.publicHost;
        }
        if (spec.externalIp != null) {
            return spec.externalIp.split("/")[0];
        }
        if (svc.getStatus() != null && svc.getStatus().getLoadBalancer() != null
                && svc.getStatus().getLoadBalancer().getIngress() != null && !svc.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            LoadBalancerIngress in = svc.getStatus().getLoadBalancer().getIngress().get(0);
            return in.getIp() != null ? in.getIp() : in.getHostname();
        }
        return svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc";
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
