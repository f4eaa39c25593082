package io.webrtccluster.operator.room;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.webrtccluster.operator.crd.v1alpha1.Room;
import io.webrtccluster.operator.crd.v1alpha1.RoomStatus;
import io.webrtccluster.operator.crd.v1alpha1.TopologySwitch;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * One {@code TopologySwitched} Event on the Room per completed switch. A switch is new when its time differs from the
 * one the Room's status already shows, so a restarted operator (or a new leader) stays quiet about switches it
 * reported before. The Event's name is derived from the switch, so a second create of the same switch (a reconcile
 * whose status patch did not land, an old leader still finishing) is refused by the API server instead of doubled.
 */
public final class TopologySwitchedEvent {

    public static final String REASON = "TopologySwitched";
    static final String COMPONENT = "webrtc-cluster-operator";
    private static final Logger LOG = Logger.getLogger(TopologySwitchedEvent.class);

    private TopologySwitchedEvent() {
    }

    /** The switch {@code next} reports that {@code previous} did not, if any. */
    public static TopologySwitch newSwitch(RoomStatus previous, RoomStatus next) {
        TopologySwitch s = next.lastSwitch;
        if (s == null || s.at == null) {
            return null;
        }
        String shown = previous == null || previous.lastSwitch == null ? null : previous.lastSwitch.at;
        return Objects.equals(shown, s.at) ? null : s;
    }

    public static String message(TopologySwitch s) {
        int n = s.participants == null ? 0 : s.participants;
        return "switched to " + s.to + " at " + n + (n == 1 ? " participant" : " participants") + " in " + s.durationMs + " ms";
    }

    /** The Event's name: the Room's name and the switch time, within the 253 characters of a DNS subdomain. */
    static String name(Room room, TopologySwitch s) {
        String suffix = ".switch-" + Instant.parse(s.at).toEpochMilli();
        String base = room.getMetadata().getName();
        if (base.length() + suffix.length() > 253) {
            base = base.substring(0, 253 - suffix.length()).replaceAll("[^a-z0-9]+$", "");
        }
        return base + suffix;
    }

    public static Event build(Room room, TopologySwitch s, String instance) {
        String at = Instant.parse(s.at).truncatedTo(ChronoUnit.SECONDS).toString();
        return new EventBuilder()
                .withNewMetadata().withName(name(room, s)).withNamespace(room.getMetadata().getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(room.getApiVersion() != null ? room.getApiVersion() : Room.GROUP + "/" + Room.VERSION)
                        .withKind("Room")
                        .withName(room.getMetadata().getName())
                        .withNamespace(room.getMetadata().getNamespace())
                        .withUid(room.getMetadata().getUid())
                        .withFieldPath("status.lastSwitch")
                        .build())
                .withType("Normal")
                .withReason(REASON)
                .withMessage(message(s))
                .withAction("SwitchTopology")
                .withFirstTimestamp(at)
                .withLastTimestamp(at)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent("webrtc-cluster.io/operator")
                .withReportingInstance(instance)
                .build();
    }

    /** Records the Event; never fails the reconcile (Events are best effort in Kubernetes too). */
    public static void record(KubernetesClient client, Room room, TopologySwitch s) {
        Event event = build(room, s, instance());
        try {
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                LOG.warnf("could not record %s for room %s/%s: %s", REASON, room.getMetadata().getNamespace(),
                        room.getMetadata().getName(), e.getMessage());
            }
        }
    }

    private static String instance() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isEmpty() ? COMPONENT : host;
    }
}
