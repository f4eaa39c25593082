package io.webrtccluster.sfu.rtp;

/** The last packets of one incoming stream by sequence number, for answering NACKs without asking the publisher again. */
public final class PacketCache {
    private final RtpPacket[] slots;

    public PacketCache(int size) {
        this.slots = new RtpPacket[size];
    }

    public synchronized void put(RtpPacket p) {
        slots[p.sequenceNumber() % slots.length] = p;
    }

    public synchronized RtpPacket get(int seq) {
        RtpPacket p = slots[seq % slots.length];
        return p != null && p.sequenceNumber() == seq ? p : null;
    }
}
