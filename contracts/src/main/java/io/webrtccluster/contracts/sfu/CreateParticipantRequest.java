package io.webrtccluster.contracts.sfu;

/**
 * Opens a participant's transport on a worker.
 *
 * @param participantId the signaling participant id (unique in the room)
 * @param simulcast     offer up to three simulcast layers for the participant's video (default false)
 * @param autoSubscribe subscribe to everyone else's tracks now and as they appear (default true)
 * @param topology      "sfu" (default) or "mcu": the worker mixes the room's audio and sends each participant
 *                      one mixed stream (video is still forwarded). Fixed by the room's first transport.
 * @param mixerSpeakers in an mcu room, how many active speakers are mixed at once (default 3)
 */
public record CreateParticipantRequest(String participantId, Boolean simulcast, Boolean autoSubscribe, String topology,
                                       Integer mixerSpeakers) {
    public CreateParticipantRequest(String participantId, Boolean simulcast, Boolean autoSubscribe) {
        this(participantId, simulcast, autoSubscribe, null, null);
    }

    public boolean mcu() {
        return "mcu".equals(topology);
    }
}
