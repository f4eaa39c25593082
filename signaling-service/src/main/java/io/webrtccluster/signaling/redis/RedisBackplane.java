package io.webrtccluster.signaling.redis;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * The replica's two ways into Redis: a pooled client for commands, and one dedicated subscriber
 * connection for pub/sub. When the subscriber connection drops (Redis restarted), it reconnects
 * with backoff, re-subscribes every channel and tells listeners, who then catch up from streams.
 */
public class RedisBackplane {
    private static final Logger LOG = Logger.getLogger(RedisBackplane.class);

    private final Vertx vertx;
    private final Redis commands;
    private final Redis subscriberFactory;
    private final Map<String, Boolean> channels = new ConcurrentHashMap<>();
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    // Each listener picks its own channels out (the relay's participant channels, the SFU workers' events).
    private final List<BiConsumer<String, String>> messageHandlers = new CopyOnWriteArrayList<>();
    private volatile RedisConnection subscriber;
    private volatile boolean closed;
    private long backoffMs = 100;

    public RedisBackplane(Vertx vertx, String url) {
        this.vertx = vertx;
        RedisOptions options = new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(16).setMaxPoolWaiting(4096).setMaxWaitingHandlers(65536);
        this.commands = Redis.createClient(vertx, options);
        this.subscriberFactory = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
        connectSubscriber();
    }

    /** Sends one command on the pool. */
    public CompletionStage<Response> send(Request request) {
        return commands.send(request).toCompletionStage();
    }

    public CompletionStage<List<Response>> batch(List<Request> requests) {
        return commands.batch(requests).toCompletionStage();
    }

    /** Reads a HGETALL reply; empty when the hash does not exist. */
    public CompletionStage<Map<String, String>> hgetall(String key) {
        return send(Request.cmd(Command.HGETALL).arg(key)).thenApply(r -> {
            Map<String, String> h = new java.util.HashMap<>();
            if (r != null) {
                for (String k : r.getKeys()) {
                    h.put(k, r.get(k).toString());
                }
            }
            return h;
        });
    }

    /** Runs a Lua script (EVAL: Redis caches it by hash; no NOSCRIPT handling needed after a restart). */
    public CompletionStage<Response> eval(String script, List<String> keys, List<String> args) {
        Request r = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
        keys.forEach(r::arg);
        args.forEach(r::arg);
        return send(r);
    }

    /** Adds a listener for every pub/sub message (channel, payload). */
    public void onMessage(BiConsumer<String, String> handler) {
        messageHandlers.add(handler);
    }

    public void onReconnect(Runnable listener) {
        reconnectListeners.add(listener);
    }

    public boolean subscriberConnected() {
        return subscriber != null;
    }

    public CompletionStage<Void> subscribe(String channel) {
        channels.put(channel, Boolean.TRUE);
        RedisConnection c = subscriber;
        if (c == null) {
            // Not connected: the reconnect subscribes it; the caller's replay covers the gap.
            return Future.<Void>succeededFuture().toCompletionStage();
        }
        return c.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).<Void>mapEmpty().toCompletionStage();
    }

    public void unsubscribe(String channel) {
        channels.remove(channel);
        RedisConnection c = subscriber;
        if (c != null) {
            c.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel));
        }
    }

    private void connectSubscriber() {
        if (closed) {
            return;
        }
        subscriberFactory.connect().onSuccess(conn -> {
            conn.handler(this::onPush);
            conn.exceptionHandler(e -> lost(conn, e));
            conn.endHandler(v -> lost(conn, null));
            List<String> all = List.copyOf(channels.keySet());
            Future<?> subscribed = Future.succeededFuture();
            if (!all.isEmpty()) {
                Request r = Request.cmd(Command.SUBSCRIBE);
                all.forEach(r::arg);
                subscribed = conn.send(r);
            }
            subscribed.onComplete(x -> {
                boolean reconnect = backoffMs > 100 || !all.isEmpty();
                subscriber = conn;
                backoffMs = 100;
                LOG.infof("Redis subscriber connected (%d channels)", all.size());
                if (reconnect) {
                    reconnectListeners.forEach(Runnable::run);
                }
            });
        }).onFailure(e -> {
            LOG.debugf("Redis subscriber connect failed: %s", e.getMessage());
            retryLater();
        });
    }

    private void lost(RedisConnection conn, Throwable e) {
        if (subscriber == conn) {
            subscriber = null;
            LOG.warnf("Redis subscriber connection lost%s; reconnecting", e == null ? "" : ": " + e.getMessage());
            try {
                conn.close();
            } catch (RuntimeException ignored) {
                // already closed
            }
            retryLater();
        }
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        backoffMs = Math.min(backoffMs * 2, 2000);
        vertx.setTimer(backoffMs, t -> connectSubscriber());
    }

    private void onPush(Response r) {
        if (r == null || (r.type() != ResponseType.PUSH && r.type() != ResponseType.MULTI) || r.size() < 3) {
            return;
        }
        if ("message".equals(r.get(0).toString())) {
            String channel = r.get(1).toString();
            String payload = r.get(2).toString();
            for (BiConsumer<String, String> h : messageHandlers) {
                h.accept(channel, payload);
            }
        }
    }

    public void close() {
        closed = true;
        RedisConnection c = subscriber;
        if (c != null) {
            c.close();
        }
        commands.close();
        subscriberFactory.close();
    }
}
