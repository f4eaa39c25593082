package io.webrtccluster.operator.room;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.workload.Labels;
import io.webrtccluster.operator.workload.Owners;

/** The workers' control API (signaling reaches it) and media port, under one stable name. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SfuServiceDependent extends CRUDKubernetesDependentResource<Service, Room> {

    public SfuServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(Room room, Context<Room> context) {
        return build(room);
    }

    public static Service build(Room room) {
        String instance = room.getMetadata().getName();
        return new ServiceBuilder()
                .withMetadata(Owners.ownedMetadata(room, SfuDeploymentDependent.name(room),
                        Labels.of(SfuDeploymentDependent.COMPONENT, instance, Labels.ROOM, room.roomId())))
                .withNewSpec()
                    .withSelector(Labels.selector(SfuDeploymentDependent.COMPONENT, instance))
                    .addNewPort().withName("http").withProtocol("TCP").withPort(SfuDeploymentDependent.HTTP_PORT)
                        .withTargetPort(new IntOrString("http")).endPort()
                    .addNewPort().withName("media").withProtocol("UDP").withPort(room.getSpec().sfu.udpPort)
                        .withTargetPort(new IntOrString("media")).endPort()
                .endSpec()
                .build();
    }
}
