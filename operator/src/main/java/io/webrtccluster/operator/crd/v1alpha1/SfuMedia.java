package io.webrtccluster.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How browsers outside the cluster reach a room's SFU workers (README, "Media into the cluster"). */
public enum SfuMedia {
    /**
     * The media port is opened on the node (hostPort) and workers announce the node's address: status.hostIP, or
     * announcedAddress when nodes have a public address of their own. One worker per node per port.
     */
    @JsonProperty("hostPort")
    HOST_PORT,
    /** Workers announce their pod IP: reachable from the cluster network only (or through a relay that may reach it). */
    @JsonProperty("podIP")
    POD_IP
}
