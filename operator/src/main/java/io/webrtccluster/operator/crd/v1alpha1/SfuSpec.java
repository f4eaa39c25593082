package io.webrtccluster.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@ValidationRule(value = "self.minReplicas <= self.maxReplicas",
        message = "sfu.minReplicas must not exceed sfu.maxReplicas", fieldPath = ".minReplicas", reason = "FieldValueInvalid")
public class SfuSpec {

    @JsonPropertyDescription("SFU worker image; defaults to the operator's wrc.operator.sfu-image.")
    public String image;

    @JsonPropertyDescription("Workers kept even when the room is empty.")
    @Min(0)
    @Max(50)
    @Default("1")
    public int minReplicas = 1;

    @Min(1)
    @Max(50)
    @Default("2")
    public int maxReplicas = 2;

    @JsonPropertyDescription("Live participants one worker serves before another is added.")
    @Min(1)
    @Max(1000)
    @Default("25")
    public int participantsPerWorker = 25;

    @JsonPropertyDescription("The worker's single media UDP port (ICE-lite).")
    @Min(1024)
    @Max(65535)
    @Default("40000")
    public int udpPort = 40000;

    @JsonPropertyDescription("How browsers reach the workers: hostPort (the node's address and port; one worker per node)"
            + " or podIP (the cluster network only).")
    @Default("hostPort")
    public SfuMedia media = SfuMedia.HOST_PORT;

    @JsonPropertyDescription("IP address workers put in their ICE candidates instead of the node's or pod's"
            + " (e.g. the node's public address).")
    @Pattern("^[0-9a-fA-F:.]+$")
    public String announcedAddress;

    public ResourceRequirements resources;
}
