package io.webrtccluster.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** A completed switch of a room's media between mesh and SFU, as signaling recorded it. */
public class TopologySwitch {
    @JsonPropertyDescription("Topology before the switch: mesh or sfu.")
    public String from;
    @JsonPropertyDescription("Topology after the switch: mesh or sfu.")
    public String to;
    @JsonPropertyDescription("When the switch committed (RFC 3339, milliseconds).")
    public String at;
    @JsonPropertyDescription("Participants in the room when it committed.")
    public Integer participants;
    @JsonPropertyDescription("Milliseconds from the decision to switch to the commit.")
    public Long durationMs;

    public TopologySwitch() {
    }

    public TopologySwitch(String from, String to, String at, Integer participants, Long durationMs) {
        this.from = from;
        this.to = to;
        this.at = at;
        this.participants = participants;
        this.durationMs = durationMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopologySwitch s && Objects.equals(from, s.from) && Objects.equals(to, s.to)
                && Objects.equals(at, s.at) && Objects.equals(participants, s.participants)
                && Objects.equals(durationMs, s.durationMs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, at, participants, durationMs);
    }

    @Override
    public String toString() {
        return from + "->" + to + " at " + at + " (" + participants + " participants, " + durationMs + " ms)";
    }
}
