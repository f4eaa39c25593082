package io.webrtccluster.signaling.admission;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.util.AttributeKey;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs before the WebSocket upgrade of {@code /v1/signal}: refuses a connection over its address's or the
 * replica's cap with a plain HTTP answer (cheaper than accepting and closing), counts the admitted one
 * until its TCP connection closes (and whether it ended without a close frame from the peer), and puts
 * a UTF-8 check and a {@link FrameGuard} on its frames.
 */
@Singleton
public class SignalAdmission {
    public static final String PATH = "/v1/signal";
    private static final AttributeKey<String> COUNTED_AS = AttributeKey.valueOf("wrc.counted-as");

    void register(@Observes Filters filters, Admission admission, AbruptDisconnects abrupt) {
        filters.register(rc -> admit(rc, admission, abrupt), 100);
    }

    private static void admit(RoutingContext rc, Admission admission, AbruptDisconnects abrupt) {
        if (!PATH.equals(rc.normalizedPath()) || !(rc.request().connection() instanceof ConnectionBase conn)) {
            rc.next();
            return;
        }
        Channel channel = conn.channel();
        if (channel.hasAttr(COUNTED_AS)) { // a second request on the same keep-alive connection
            rc.next();
            return;
        }
        String address = admission.clientAddress().of(rc.request().remoteAddress().host(),
                rc.request().getHeader("X-Forwarded-For"));
        ConnectionLimits limits = admission.connections();
        ConnectionLimits.Refusal refusal = limits.tryOpen(address);
        if (refusal != null) {
            boolean ofAddress = refusal == ConnectionLimits.Refusal.ADDRESS_FULL;
            rc.response().setStatusCode(ofAddress ? 429 : 503).putHeader("Retry-After", "5")
                    .putHeader("Connection", "close").putHeader("Content-Type", "application/json")
                    .end(new JsonObject(Map.of("error", ofAddress
                            ? "too many signaling connections from your address (at most " + limits.perAddress() + ")"
                            : "this signaling replica is full (" + limits.perReplica() + " connections); retry or use another")).encode());
            return;
        }
        channel.attr(COUNTED_AS).set(address);
        channel.closeFuture().addListener(f -> {
            limits.closed(address);
            if (!channel.hasAttr(FrameGuard.PEER_SENT_CLOSE)) {
                abrupt.record();
            }
        });
        // Vert.x decodes text frames without checking their UTF-8; Netty's validator closes with 1007 Invalid
        // frame payload data. Placed before Vert.x's handler, both run after the permessage-deflate decoder
        // (which the upgrade inserts right behind the extension handler, ahead of these).
        if (channel.pipeline().get(Utf8FrameValidator.class) == null && channel.pipeline().get("handler") != null) {
            channel.pipeline().addBefore("handler", "wrcFrameGuard", new FrameGuard());
            channel.pipeline().addBefore("handler", "wrcUtf8Validator", new Utf8FrameValidator(true));
        }
        rc.next();
    }
}
