package io.webrtccluster.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** A real redis-server on a free loopback port, without persistence; can be stopped and restarted on the same port. */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private ManagedProcess process;

    private RedisServer(int port) {
        this.port = port;
    }

    public static RedisServer start() {
        RedisServer r = new RedisServer(FreePort.tcp());
        r.startProcess();
        return r;
    }

    private void startProcess() {
        process = ManagedProcess.start("redis-" + port, List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> accepts(port) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server did not start:\n" + process.logText());
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public void stop() {
        process.stop(Duration.ofSeconds(5));
    }

    public void restart() {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
    }
}
