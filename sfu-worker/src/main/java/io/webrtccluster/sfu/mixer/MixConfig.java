package io.webrtccluster.sfu.mixer;

/**
 * How a room mixes.
 *
 * @param speakers   K: how many speakers are mixed at once (each costs a decode and a mix-minus encode)
 * @param bitrate    Opus bitrate of the mixed streams (bit/s)
 * @param complexity Opus encoder complexity 0..10 (CPU against quality, paid K+1 times per 20 ms)
 * @param maxDepth   the most frames a speaker's jitter buffer holds before dropping its oldest
 */
public record MixConfig(int speakers, int bitrate, int complexity, int maxDepth) {
    public static final int DEFAULT_SPEAKERS = 3;

    public MixConfig {
        if (speakers < 1 || speakers > 15) {
            throw new IllegalArgumentException("speakers must be within 1..15 (RTP carries at most 15 CSRCs), was " + speakers);
        }
    }

    public static MixConfig defaults(int speakers) {
        return new MixConfig(speakers, 32_000, 3, 5);
    }
}
