package io.webrtccluster.contracts.sfu;

/**
 * An offer the SFU worker makes to one browser, exactly as the browser receives it in its inbox
 * ({@code {"type":"offer","from":"sfu","sdp":"...","version":N}}). The browser answers it with an
 * {@link SfuAnswer} carrying the same {@code version}.
 */
public record SfuOffer(String type, String from, String sdp, long version) {
    public static SfuOffer of(String sdp, long version) {
        return new SfuOffer("offer", "sfu", sdp, version);
    }
}
