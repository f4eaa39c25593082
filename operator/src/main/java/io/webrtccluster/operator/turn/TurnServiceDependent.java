package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.operator.workload.Labels;
import io.webrtccluster.operator.workload.Owners;
import java.util.ArrayList;
import java.util.List;

/**
 * 3478 over UDP and TCP, 5349 with TLS, and, unless relays use the node network, one UDP port per relay port
 * (the range is bounded by the CRD for that reason). Session affinity keeps a client's allocation on one relay.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class TurnServiceDependent extends CRUDKubernetesDependentResource<Service, TurnPool> {

    public TurnServiceDependent() {
        super(Service.class);
    }

    public static String name(TurnPool pool) {
        return pool.getMetadata().getName() + "-turn";
    }

    @Override
    protected Service desired(TurnPool pool, Context<TurnPool> context) {
        return build(pool);
    }

    public static Service build(TurnPool pool) {
        var spec = pool.getSpec();
        List<ServicePort> ports = new ArrayList<>();
        ports.add(port("turn-udp", "UDP", spec.listeningPort));
        ports.add(port("turn-tcp", "TCP", spec.listeningPort));
        if (spec.tlsSecretName != null) {
            ports.add(port("turns", "TCP", 5349));
        }
        if (!spec.hostNetwork) {
            for (int p = spec.relayPorts.min; p <= spec.relayPorts.max; p++) {
                ports.add(port("relay-" + p, "UDP", p));
            }
        }
        return new ServiceBuilder()
                .withMetadata(Owners.ownedMetadata(pool, name(pool), CoturnWorkload.labels(pool)))
                .withNewSpec()
                    .withType(spec.serviceType.name())
                    .withSelector(Labels.selector(CoturnWorkload.COMPONENT, pool.getMetadata().getName()))
                    .withPorts(ports)
                    .withSessionAffinity("ClientIP")
                .endSpec()
                .build();
    }

    private static ServicePort port(String name, String protocol, int port) {
        return new ServicePortBuilder().withName(name).withProtocol(protocol).withPort(port)
                .withTargetPort(new IntOrString(port)).build();
    }
}
