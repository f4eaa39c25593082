package io.webrtccluster.contracts.store;

/**
 * How anything (a signaling replica, an SFU worker) delivers a message to one participant.
 *
 * <p>The message is appended to the participant's inbox stream and, in the same script, published on
 * the participant's channel. The channel wakes up whichever replica holds the socket right now; the
 * stream is what a reconnecting client replays from (it tells us the last {@code seq} it saw), so a
 * message sent while the participant's replica was dying is not lost. Pub/sub alone is at-most-once;
 * the stream makes delivery at-least-once, and the client drops duplicates by {@code seq}.
 *
 * <p>Message format: the JSON object the browser receives (e.g. {@code {"type":"offer","from":"sfu","sdp":"..."}}).
 * The replica adds {@code "seq": "<stream id>"} before writing it to the socket. Published payload:
 * {@code <stream id> + "\n" + <json>}.
 */
public final class Inbox {
    /** KEYS[1] = inbox stream, KEYS[2] = participant channel; ARGV[1] = json, ARGV[2] = max length, ARGV[3] = TTL seconds. Returns the stream id. */
    public static final String DELIVER_SCRIPT = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'm', ARGV[1])
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            redis.call('PUBLISH', KEYS[2], id .. '\\n' .. ARGV[1])
            return id
            """;

    /** Enough for several renegotiations' worth of candidates; a client further behind than this starts over. */
    public static final int MAX_LENGTH = 512;
    /** An inbox outlives its participant's presence TTL so a resume can still replay it. */
    public static final int TTL_SECONDS = 300;

    /** The field of a stream entry that holds the JSON message. */
    public static final String FIELD = "m";

    private Inbox() {
    }
}
