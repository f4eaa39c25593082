package io.webrtccluster.operator.turn;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.webrtccluster.operator.config.OperatorConfig;
import io.webrtccluster.operator.crd.v1alpha1.TurnPool;
import io.webrtccluster.operator.workload.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The coturn pod, shared by the Deployment and the hostNetwork DaemonSet forms of a pool. */
public final class CoturnWorkload {
    public static final String COMPONENT = "coturn";
    public static final String CONFIG_HASH = "webrtc-cluster.io/config-hash";
    /** coturn reads its secrets only at start: a changed Secret must roll the relays (see the rotation steps in the README). */
    public static final String SECRET_HASH = "webrtc-cluster.io/secret-hash";

    /**
     * The secrets come from env so they stay out of the ConfigMap and the pod spec; the previous one is added only
     * when present (an unset {@code $(VAR)} would otherwise become a literal, guessable secret). turnserver runs as
     * the shell's child, not exec'd: as a container's PID 1 it ignores SIGTERM, so every pod replacement (a rollout, a
     * rotated secret) took the whole grace period, and a hostNetwork DaemonSet's new pod waits for the old one's ports.
     */
    // The trap comes first: a TERM right at start (a rollout just after creation) must not be lost either.
    static final String START = "trap 'kill -TERM $! 2>/dev/null; wait $!; exit 143' TERM INT;"
            + " turnserver -c " + CoturnConfig.CONFIG_DIR + "/" + CoturnConfig.CONFIG_KEY
            + " --static-auth-secret=\"$TURN_SECRET\""
            + " ${TURN_SECRET_PREVIOUS:+--static-auth-secret=\"$TURN_SECRET_PREVIOUS\"} & wait $!";

    /** Allocations cannot move to another relay anyway: a stopped coturn only needs time to exit. */
    static final long TERMINATION_GRACE_SECONDS = 5;

    private CoturnWorkload() {
    }

    public static Map<String, String> labels(TurnPool pool) {
        return Labels.of(COMPONENT, pool.getMetadata().getName(), Labels.TURN_POOL, pool.getMetadata().getName());
    }

    public static String name(TurnPool pool) {
        return pool.getMetadata().getName() + "-coturn";
    }

    public static PodTemplateSpec podTemplate(TurnPool pool, OperatorConfig config) {
        return podTemplate(pool, config, null);
    }

    /** @param secretHash hash of the auth Secret's values, or null while the Secret is not there yet */
    public static PodTemplateSpec podTemplate(TurnPool pool, OperatorConfig config, String secretHash) {
        var spec = pool.getSpec();
        String secret = AuthSecretDependent.name(pool);
        String conf = CoturnConfig.render(spec);

        var container = new ContainerBuilder()
                .withName(COMPONENT)
                .withImage(spec.image != null ? spec.image : config.operator().coturnImage())
                .withCommand("sh", "-c", START)
                .withEnv(
                        new EnvVarBuilder().withName("TURN_SECRET").withNewValueFrom().withNewSecretKeyRef()
                                .withName(secret).withKey(AuthSecretDependent.KEY).endSecretKeyRef().endValueFrom().build(),
                        new EnvVarBuilder().withName("TURN_SECRET_PREVIOUS").withNewValueFrom().withNewSecretKeyRef()
                                .withName(secret).withKey(AuthSecretDependent.PREVIOUS_KEY).withOptional(true)
                                .endSecretKeyRef().endValueFrom().build())
                .addNewPort().withName("turn-udp").withContainerPort(spec.listeningPort).withProtocol("UDP").endPort()
                .addNewPort().withName("turn-tcp").withContainerPort(spec.listeningPort).withProtocol("TCP").endPort()
                .withReadinessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(spec.listeningPort))
                        .endTcpSocket().withPeriodSeconds(10).build())
                .withLivenessProbe(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(spec.listeningPort))
                        .endTcpSocket().withPeriodSeconds(20).withFailureThreshold(3).build())
                .withResources(spec.resources != null ? spec.resources : new ResourceRequirementsBuilder()
                        .withRequests(Map.of("cpu", new Quantity("200m"), "memory", new Quantity("128Mi")))
                        .withLimits(Map.of("memory", new Quantity("512Mi")))
                        .build())
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withRunAsNonRoot(true)
                    .withRunAsUser(65534L)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext();
        if (spec.prometheus) {
            container.addNewPort().withName("metrics").withContainerPort(9641).withProtocol("TCP").endPort();
        }
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName("config").withNewConfigMap()
                .withName(CoturnConfigMapDependent.name(pool)).endConfigMap().build());
        container.addToVolumeMounts(new VolumeMountBuilder().withName("config").withMountPath(CoturnConfig.CONFIG_DIR)
                .withReadOnly(true).build());
        if (spec.tlsSecretName != null) {
            volumes.add(new VolumeBuilder().withName("tls").withNewSecret().withSecretName(spec.tlsSecretName).endSecret().build());
            container.addNewPort().withName("turns").withContainerPort(5349).withProtocol("TCP").endPort();
            container.addToVolumeMounts(new VolumeMountBuilder().withName("tls").withMountPath(CoturnConfig.TLS_DIR)
                    .withReadOnly(true).build());
        }

        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                    .withLabels(labels(pool))
                    .withAnnotations(secretHash == null ? Map.of(CONFIG_HASH, CoturnConfig.hash(conf))
                            : Map.of(CONFIG_HASH, CoturnConfig.hash(conf), SECRET_HASH, secretHash))
                .endMetadata()
                .withNewSpec()
                    .withContainers(container.build())
                    .withVolumes(volumes)
                    .withHostNetwork(spec.hostNetwork ? true : null)
                    .withDnsPolicy(spec.hostNetwork ? "ClusterFirstWithHostNet" : null)
                    .withEnableServiceLinks(false)
                    .withAutomountServiceAccountToken(false)
                    .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                .endSpec()
                .build();
    }
}
