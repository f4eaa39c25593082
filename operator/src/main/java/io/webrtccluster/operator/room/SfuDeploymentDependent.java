package io.webrtccluster.operator.room;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher.Result;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.webrtccluster.operator.config.OperatorConfig;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.crd.v1alpha1.SfuMedia;
import io.webrtccluster.operator.workload.DesiredHash;
import io.webrtccluster.operator.workload.Labels;
import io.webrtccluster.operator.workload.Owners;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.webrtccluster.operator.redis.RoomStore;

/** The room's dedicated SFU workers, sized by {@link SfuSizing} from the live participant count. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SfuDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, Room> {

    public static final String COMPONENT = "sfu-worker";
    public static final int HTTP_PORT = 8090;

    @Inject
    OperatorConfig config;

    @Inject
    RoomStore store;

    public SfuDeploymentDependent() {
        super(Deployment.class);
    }

    public static String name(Room room) {
        return room.getMetadata().getName() + "-sfu";
    }

    @Override
    public Result<Deployment> match(Deployment actual, Deployment desired, Room primary, Context<Room> context) {
        return DesiredHash.match(actual, desired, actual.getSpec().getReplicas(), desired.getSpec().getReplicas());
    }

    @Override
    protected Deployment desired(Room room, Context<Room> context) {
        return DesiredHash.stamp(build(room, config, replicas(room, context)));
    }

    /**
     * Sized from the live count the room's event source last saw; right after a start (empty cache) it is read from
     * Redis, and if Redis cannot say, the running replica count stays: a restart or an outage never rescales.
     */
    private int replicas(Room room, Context<Room> context) {
        Optional<Integer> live = context.getSecondaryResource(RoomRecord.class).map(r -> r.live().participants());
        if (live.isEmpty()) {
            try {
                live = Optional.of(store.live(room.roomId()).participants());
            } catch (RuntimeException redisDown) {
                Optional<Integer> running = context.getSecondaryResource(Deployment.class).map(d -> d.getSpec().getReplicas());
                if (running.isPresent()) {
                    return running.get();
                }
            }
        }
        var spec = room.getSpec();
        return SfuSizing.replicas(spec.sfu, spec.topology, spec.mcuThreshold, spec.mixerSpeakers, live.orElse(0));
    }

    /** Pure function of the Room, so the unit tests check exactly what the API server gets. */
    public static Deployment build(Room room, OperatorConfig config, int replicas) {
        var sfu = room.getSpec().sfu;
        String name = name(room);
        String instance = room.getMetadata().getName();
        Map<String, String> labels = Labels.of(COMPONENT, instance, Labels.ROOM, room.roomId());

        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("WRC_REDIS_URL", config.operator().workerRedisUrl().orElse(config.redis().url()), null));
        env.add(new EnvVar("WRC_SFU_ROOM", room.roomId(), null));
        env.add(new EnvVar("WRC_SFU_UDP_PORT", Integer.toString(sfu.udpPort), null));
        env.add(new EnvVar("QUARKUS_HTTP_PORT", Integer.toString(HTTP_PORT), null));
        env.add(fieldRef("WRC_SFU_WORKER_ID", "metadata.name"));
        env.add(fieldRef("POD_IP", "status.podIP"));
        boolean hostPort = sfu.media == SfuMedia.HOST_PORT;
        if (sfu.announcedAddress != null) {
            env.add(new EnvVar("WRC_SFU_ANNOUNCED_ADDRESS", sfu.announcedAddress, null));
        } else {
            // Each replica announces its own address: the node it landed on (hostPort), or its pod.
            env.add(fieldRef("WRC_SFU_ANNOUNCED_ADDRESS", hostPort ? "status.hostIP" : "status.podIP"));
        }
        // Signaling calls the control API on the pod, whatever address media is announced on.
        env.add(new EnvVar("WRC_SFU_CONTROL_URL", "http://$(POD_IP):" + HTTP_PORT, null));

        var container = new ContainerBuilder()
                .withName(COMPONENT)
                .withImage(sfu.image != null ? sfu.image : config.operator().sfuImage())
                .withEnv(env)
                .addNewPort().withName("http").withContainerPort(HTTP_PORT).withProtocol("TCP").endPort()
                .addNewPort().withName("media").withContainerPort(sfu.udpPort).withProtocol("UDP")
                    .withHostPort(hostPort ? sfu.udpPort : null).endPort()
                // The JVM may start slowly on a busy node: liveness counts only once the startup probe passed.
                .withStartupProbe(new ProbeBuilder(probe("/q/health/live", 1)).withFailureThreshold(120).build())
                .withLivenessProbe(probe("/q/health/live", 10))
                // Checked often: a new worker takes participants as soon as it is registered and ready.
                .withReadinessProbe(probe("/q/health/ready", 2))
                .withResources(sfu.resources != null ? sfu.resources : defaultResources())
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withRunAsNonRoot(true)
                    .withReadOnlyRootFilesystem(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();

        return new DeploymentBuilder()
                .withMetadata(Owners.ownedMetadata(room, name, labels))
                .withNewSpec()
                    .withReplicas(replicas)
                    // A node's media port is held by one worker: replace in place rather than surge.
                    .withStrategy(hostPort ? new DeploymentStrategyBuilder().withType("RollingUpdate").withNewRollingUpdate()
                            .withMaxSurge(new IntOrString(0)).withMaxUnavailable(new IntOrString(1)).endRollingUpdate().build() : null)
                    .withNewSelector().withMatchLabels(Labels.selector(COMPONENT, instance)).endSelector()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withContainers(container)
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                            // Workers drain (stop taking participants, let calls move) before they exit.
                            .withTerminationGracePeriodSeconds(30L)
                            .withEnableServiceLinks(false)
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private static Probe probe(String path, int periodSeconds) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString(HTTP_PORT)).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(3)
                .withFailureThreshold(3)
                .build();
    }

    private static EnvVar fieldRef(String name, String fieldPath) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewFieldRef().withFieldPath(fieldPath).endFieldRef().endValueFrom().build();
    }

    private static ResourceRequirements defaultResources() {
        return new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("256Mi")))
                .withLimits(Map.of("memory", new Quantity("512Mi")))
                .build();
    }
}
