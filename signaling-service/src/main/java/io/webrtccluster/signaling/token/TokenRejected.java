package io.webrtccluster.signaling.token;

/** A join token that does not verify; the message says why in words a client developer can act on. */
public class TokenRejected extends Exception {
    public TokenRejected(String message) {
        super(message, null, false, false);
    }
}
