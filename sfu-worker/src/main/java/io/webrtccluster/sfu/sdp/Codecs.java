package io.webrtccluster.sfu.sdp;

/**
 * The codecs and header extensions the worker offers. Payload types and extension ids are the same on
 * every m-line of every participant, so a forwarded packet keeps its payload type unchanged.
 */
public final class Codecs {
    public static final int OPUS = 111;
    public static final int VP8 = 96;
    public static final int H264 = 102;

    public static final int EXT_MID = 1;
    public static final int EXT_ABS_SEND_TIME = 2;
    public static final int EXT_AUDIO_LEVEL = 3;
    public static final int EXT_RID = 10;

    private Codecs() {
    }

    public static String nameOf(int payloadType) {
        return switch (payloadType) {
            case OPUS -> "opus";
            case VP8 -> "VP8";
            case H264 -> "H264";
            default -> "unknown";
        };
    }
}
