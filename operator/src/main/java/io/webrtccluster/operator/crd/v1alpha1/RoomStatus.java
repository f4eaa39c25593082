package io.webrtccluster.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

public class RoomStatus {
    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();
    /** The room id used in the data plane. */
    public String roomId;
    /** Live participants, read back from Redis. */
    public Integer participants;
    /** mesh, sfu or mcu, as signaling currently runs the room. */
    public String topology;
    @JsonPropertyDescription("While signaling moves the room to another topology: the one being brought up (mesh or sfu).")
    public String switching;
    @JsonPropertyDescription("The last completed switch between mesh and SFU; each one is also recorded as a TopologySwitched event.")
    public TopologySwitch lastSwitch;
    public Integer desiredWorkers;
    public Integer readyWorkers;

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomStatus s && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(conditions, s.conditions) && Objects.equals(roomId, s.roomId)
                && Objects.equals(participants, s.participants) && Objects.equals(topology, s.topology)
                && Objects.equals(switching, s.switching) && Objects.equals(lastSwitch, s.lastSwitch)
                && Objects.equals(desiredWorkers, s.desiredWorkers) && Objects.equals(readyWorkers, s.readyWorkers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, roomId, participants, topology, switching, lastSwitch,
                desiredWorkers, readyWorkers);
    }
}
