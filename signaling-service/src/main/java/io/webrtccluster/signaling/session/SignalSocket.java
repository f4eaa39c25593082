package io.webrtccluster.signaling.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
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

    @OnClose
    void onClose(WebSocketConnection connection, CloseReason reason) {
        PeerSession s = sessions.remove(connection.id());
        if (s != null) {
            s.onClose(reason);
        }
    }
}
