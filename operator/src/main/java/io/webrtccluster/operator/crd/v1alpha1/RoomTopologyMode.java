package io.webrtccluster.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.webrtccluster.contracts.room.TopologyMode;

/** The CRD's spelling of {@link TopologyMode}. */
public enum RoomTopologyMode {
    @JsonProperty("mesh")
    MESH,
    @JsonProperty("sfu")
    SFU,
    @JsonProperty("mcu")
    MCU,
    @JsonProperty("auto")
    AUTO;

    public TopologyMode toPolicy() {
        return TopologyMode.valueOf(name());
    }
}
