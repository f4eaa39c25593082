package io.webrtccluster.signaling.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/** The browser-facing WebSocket, protocol v1. Inbound messages of one connection are processed serially. */
@WebSocket(path = "/v1/signal")
public class SignalSocket {
    private final Map<String, PeerSession> sessions = new ConcurrentHashMap<>();

    @Inject
    SessionContext ctx;

    @OnOpen
    void onOpen(WebSocketConnection connection) {
        sessions.put(connection.id(), new PeerSession(connection, ctx));
    }

    @OnTextMessage
    Uni<Void> onMessage(WebSocketConnection connection, String text) {
        PeerSession s = sessions.get(connection.id());
        return s == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(() -> s.onText(text));
    }

    /** Frames beyond the transport limit (quarkus.websockets-next.server.max-message-size) end the connection with 1009. */
    @OnError
    Uni<Void> onError(WebSocketConnection connection, Throwable error) {
        if (error instanceof IllegalStateException && String.valueOf(error.getMessage()).contains("max message size")) {
            return connection.close(new CloseReason(1009, "message too big"));
        }
        return connection.close(new CloseReason(1011, "internal error"));
    }

    @OnClose
    void onClose(WebSocketConnection connection, CloseReason reason) {
        PeerSession s = sessions.remove(connection.id());
        if (s != null) {
            s.onClose(reason);
        }
    }
}
