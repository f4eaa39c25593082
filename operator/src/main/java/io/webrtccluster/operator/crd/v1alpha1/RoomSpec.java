package io.webrtccluster.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.webrtccluster.contracts.room.RoomPolicy;

@ValidationRule(value = "self.meshThreshold <= self.maxParticipants",
        message = "meshThreshold must not exceed maxParticipants", fieldPath = ".meshThreshold", reason = "FieldValueInvalid")
@ValidationRule(value = "self.mcuThreshold == 0 || (self.mcuThreshold >= self.meshThreshold && self.mcuThreshold <= self.maxParticipants)",
        message = "mcuThreshold must be 0 (never) or within meshThreshold..maxParticipants", fieldPath = ".mcuThreshold",
        reason = "FieldValueInvalid")
public class RoomSpec {

    @JsonPropertyDescription("Room id in the data plane (global across namespaces); defaults to metadata.name. Immutable.")
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @ValidationRule(value = "self == oldSelf", message = "roomId is immutable")
    public String roomId;

    @JsonPropertyDescription("Joins beyond this are refused with room-full.")
    @Min(1)
    @Max(1000)
    @Default("50")
    public int maxParticipants = 50;

    @JsonPropertyDescription("In auto mode, the largest participant count that stays peer-to-peer (mesh).")
    @Min(1)
    @Max(1000)
    @Default("4")
    public int meshThreshold = 4;

    @JsonPropertyDescription("mesh, sfu, mcu (audio mixed by the worker, video forwarded), or auto (mesh up to meshThreshold, "
            + "SFU above, MCU above mcuThreshold when it is set).")
    @Default("auto")
    public RoomTopologyMode topology = RoomTopologyMode.AUTO;

    @JsonPropertyDescription("In auto mode, how long a room must stay at or below a threshold before it moves down "
            + "(from the SFU to mesh, from the MCU to the SFU); any join back above it restarts the wait.")
    @Min(0)
    @Max(3600)
    @Default("10")
    public int hysteresisSeconds = RoomPolicy.DEFAULT_HYSTERESIS_SECONDS;

    @JsonPropertyDescription("In auto mode, the participant count above which the worker mixes the room's audio (0 = never).")
    @Min(0)
    @Max(1000)
    @Default("0")
    public int mcuThreshold = 0;

    @JsonPropertyDescription("In MCU rooms, how many active speakers are mixed at once (each costs the worker an Opus decode "
            + "and an encode every 20 ms).")
    @Min(1)
    @Max(15)
    @Default("3")
    public int mixerSpeakers = 3;

    @JsonPropertyDescription("Name of the TurnPool whose servers clients of this room get.")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    public String turnPool;

    @JsonPropertyDescription("The room's dedicated SFU workers.")
    public SfuSpec sfu = new SfuSpec();
}
