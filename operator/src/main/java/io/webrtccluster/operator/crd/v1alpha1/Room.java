package io.webrtccluster.operator.crd.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A declared WebRTC room: its policy in Redis and its dedicated SFU workers. */
@Group(Room.GROUP)
@Version(Room.VERSION)
@ShortNames("rm")
@AdditionalPrinterColumn(name = "Topology", jsonPath = ".status.topology", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Participants", jsonPath = ".status.participants", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Workers", jsonPath = ".status.readyWorkers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Switch", jsonPath = ".status.lastSwitch.at", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Switching", jsonPath = ".status.switching", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Room extends CustomResource<RoomSpec, RoomStatus> implements Namespaced {
    public static final String GROUP = "webrtc-cluster.io";
    public static final String VERSION = "v1alpha1";

    /** The room id in the data plane: {@code spec.roomId} if set, else the resource name. */
    public String roomId() {
        String id = getSpec() == null ? null : getSpec().roomId;
        return id == null || id.isEmpty() ? getMetadata().getName() : id;
    }
}
