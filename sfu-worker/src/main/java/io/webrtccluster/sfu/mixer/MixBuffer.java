package io.webrtccluster.sfu.mixer;

/**
 * The mixing arithmetic of one tick. Speakers are summed in 32 bits (no overflow for any number of
 * 16-bit inputs we mix); the total mix and each speaker's mix-minus (total minus their own frame,
 * exact because the subtraction happens before saturation) are clamped to 16 bits only on the way
 * out. Hard clipping, not a limiter: with K ≤ a handful of speakers near full scale at once it is
 * rare, and a limiter's gain changes would differ between the shared mix and the mix-minus streams.
 */
public final class MixBuffer {
    private final int[] sum;
    private final int frame;

    public MixBuffer(int frame) {
        this.frame = frame;
        this.sum = new int[frame];
    }

    public void clear() {
        java.util.Arrays.fill(sum, 0);
    }

    public void add(short[] pcm) {
        for (int i = 0; i < frame; i++) {
            sum[i] += pcm[i];
        }
    }

    /** The mix of everyone added, saturated to 16 bits. */
    public void total(short[] out) {
        for (int i = 0; i < frame; i++) {
            out[i] = saturate(sum[i]);
        }
    }

    /** The mix without {@code own} (which must have been added): what that speaker hears. */
    public void minus(short[] own, short[] out) {
        for (int i = 0; i < frame; i++) {
            out[i] = saturate(sum[i] - own[i]);
        }
    }

    static short saturate(int v) {
        return (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : v < Short.MIN_VALUE ? Short.MIN_VALUE : v);
    }
}
