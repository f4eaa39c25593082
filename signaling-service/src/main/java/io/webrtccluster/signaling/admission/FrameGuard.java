package io.webrtccluster.signaling.admission;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.util.AttributeKey;

/**
 * Watches a signaling socket's frames below Vert.x. Answers a frame the WebSocket decoder refuses (one over
 * the frame limit: 1009; a protocol violation: 1002) with a close frame carrying that status: Vert.x turns
 * such a decoder error into a bare TCP close, which the client sees as 1006 and cannot tell from a network
 * failure. Notes whether the peer sent a close frame, which Vert.x does not tell apart from none at all.
 */
final class FrameGuard extends ChannelInboundHandlerAdapter {
    static final AttributeKey<Boolean> PEER_SENT_CLOSE = AttributeKey.valueOf("wrc.peer-sent-close");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof CloseWebSocketFrame) {
            ctx.channel().attr(PEER_SENT_CLOSE).set(Boolean.TRUE);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (cause instanceof CorruptedWebSocketFrameException bad && ctx.channel().isActive()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(bad.closeStatus())).addListener(ChannelFutureListener.CLOSE);
            return; // handled: the peer gets the status, then the connection ends
        }
        super.exceptionCaught(ctx, cause);
    }
}
