package io.webrtccluster.sfu.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves the test page and relays {@code /v1/*} to the worker, so the page and the control API
 * share one origin (the page talks to the worker directly; no signaling involved).
 */
final class TestPageServer implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String workerUrl;

    TestPageServer(String workerUrl) throws IOException {
        this(workerUrl, 0);
    }

    TestPageServer(String workerUrl, int port) throws IOException {
        this.workerUrl = workerUrl;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    String pageUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sfu-test.html";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/sfu-test.html")) {
                try (InputStream in = TestPageServer.class.getResourceAsStream("/web/sfu-test.html")) {
                    byte[] page = in.readAllBytes();
                    ex.getResponseHeaders().add("content-type", "text/html; charset=utf-8");
                    ex.sendResponseHeaders(200, page.length);
                    ex.getResponseBody().write(page);
                }
                return;
            }
            if (!path.startsWith("/v1/") && !path.startsWith("/q/")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(workerUrl + ex.getRequestURI()))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body.length > 0) {
                b.header("content-type", "application/json");
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().firstValue("content-type").ifPresent(v -> ex.getResponseHeaders().add("content-type", v));
            byte[] out = r.body();
            ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Runs the page server as its own process (e.g. inside a network namespace): args = worker URL, port. */
    public static void main(String[] args) throws Exception {
        new TestPageServer(args[0], Integer.parseInt(args[1]));
        System.out.println("test page server listening on " + args[1]);
        Thread.currentThread().join();
    }
}
