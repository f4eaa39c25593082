package io.webrtccluster.sfu.room;

import java.util.List;

/**
 * Settings every room on this worker shares.
 *
 * @param announcedAddress IP put in the ICE candidate (the address browsers can reach)
 * @param port             the shared UDP port
 * @param upstreamNack     whether the worker NACKs losses on the publisher's uplink
 * @param downstreamNack   whether the worker answers subscribers' NACKs from its packet cache
 * @param rembBps          the bitrate cap sent to publishers in REMB
 * @param simulcastRids    rids offered to publishers that ask for simulcast, lowest quality first
 */
public record RouterConfig(String announcedAddress, int port, boolean upstreamNack, boolean downstreamNack,
                           long rembBps, List<String> simulcastRids) {
}
