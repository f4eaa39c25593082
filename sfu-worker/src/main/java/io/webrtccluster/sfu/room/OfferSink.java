package io.webrtccluster.sfu.room;

import io.webrtccluster.contracts.sfu.SfuOffer;

/** Where a renegotiation offer goes: the participant's inbox in Redis (or nowhere, when tests poll the HTTP API). */
public interface OfferSink {
    /** @return true when the offer was handed to a delivery channel */
    boolean deliver(String roomId, String participantId, SfuOffer offer);

    /** Any other message from the worker to a participant (e.g. {@code active-speakers}); dropped where there is no channel. */
    default void deliverEvent(String roomId, String participantId, java.util.Map<String, Object> event) {
    }
}
