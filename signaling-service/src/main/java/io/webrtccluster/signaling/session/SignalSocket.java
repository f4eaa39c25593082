package io.webrtccluster.signaling.session;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.webrtccluster.signaling.admission.Admission;

/** The browser-facing WebSocket, protocol v1. Inbound messages of one connection are processed serially. */
@WebSocket(path = "/v1/signal")
public class SignalSocket {
    private record Open(PeerSession session, long joinTimer) {
    }

    private final Map<String, Open> sessions = new ConcurrentHashMap<>();

    @Inject
    SessionContext ctx;
    @Inject
    Admission admission;
    @Inject
    JoinTimeout joinTimeout;

    @OnOpen
    void onOpen(WebSocketConnection connection) {
        String address = admission.clientAddress().of(connection.handshakeRequest().remoteAddress(),
                connection.handshakeRequest().header("X-Forwarded-For"));
        PeerSession s = new PeerSession(connection, ctx, address);
        sessions.put(connection.id(), new Open(s, joinTimeout.arm(s)));
    }

    @OnTextMessage
    Uni<Void> onMessage(WebSocketConnection connection, String text) {
        Open o = sessions.get(connection.id());
        return o == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(() -> o.session().onText(text));
    }

    @OnBinaryMessage
    Uni<Void> onBinary(WebSocketConnection connection, Buffer data) {
        Open o = sessions.get(connection.id());
        return o == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(() -> o.session().onBinary());
    }

    /**
     * Transport-level failures. Frames over quarkus.websockets-next.server.max-frame-size or messages over
     * max-message-size (both 1 MiB) close with 1009; invalid UTF-8 is closed with 1007 by the frame validator
     * (admission.SignalAdmission); a peer that vanished needs no close at all.
     */
    @OnError
    Uni<Void> onError(WebSocketConnection connection, Throwable error) {
        if (connection.isClosed() || error instanceof IOException) {
            return Uni.createFrom().voidItem();
        }
        if (error instanceof CorruptedWebSocketFrameException frame) {
            return connection.close(new CloseReason(frame.closeStatus().code(), frame.closeStatus().reasonText()));
        }
        if (error instanceof IllegalStateException && String.valueOf(error.getMessage()).contains("max message size")) {
            return connection.close(new CloseReason(1009, "message too big"));
        }
        return connection.close(new CloseReason(1011, "internal error"));
    }

    @OnClose
    void onClose(WebSocketConnection connection, CloseReason reason) {
        Open o = sessions.remove(connection.id());
        if (o != null) {
            joinTimeout.cancel(o.joinTimer());
            o.session().onClose(reason);
        }
    }
}
