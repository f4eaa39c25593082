package io.webrtccluster.contracts.sfu;

import java.util.List;

/** A snapshot of what a worker forwards, for operators, tests and the load report. */
public record WorkerStats(String workerId, boolean draining, int participants, int producers, int consumers,
                          List<Room> rooms) {

    public record Room(String room, List<Participant> participants) {
    }

    /**
     * @param connectionState new | connected (ICE+DTLS done) | failed (consent expired)
     */
    public record Participant(String participantId, String connectionState, List<Producer> producers,
                              List<Consumer> consumers) {
    }

    /** One upstream track; {@code layers} lists its RTP streams (rid or "" for a single stream). */
    public record Producer(String kind, List<Layer> layers) {
    }

    public record Layer(String rid, long ssrc, long packets, long bytes, double fractionLost) {
    }

    public record Consumer(String publisherId, String kind, int currentLayer, int maxLayer, long packets, long bytes,
                           long nacksReceived, long retransmitted, long keyframeRequests, double fractionLost,
                           double rttMs) {
    }
}
