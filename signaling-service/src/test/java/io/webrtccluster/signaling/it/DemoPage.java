package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import io.webrtccluster.testing.Chromium;

import static org.awaitility.Awaitility.await;

/** One headless Chromium on the demo page, joined to a room; reads what it decodes through getStats. */
final class DemoPage implements AutoCloseable {
    private final ChromeDriver driver;
    final String name;

    private DemoPage(ChromeDriver driver, String name) {
        this.driver = driver;
        this.name = name;
    }

    /** @param signalUrls comma-separated WebSocket URLs for the SDK to try in turn, or null for the page's origin */
    static DemoPage join(String baseUrl, String room, String name, String signalUrls) {
        return join(baseUrl, room, name, signalUrls, "");
    }

    /** @param extraQuery more demo parameters, e.g. {@code relay=1} or {@code simulcast=1} */
    static DemoPage join(String baseUrl, String room, String name, String signalUrls, String extraQuery) {
        ChromeDriver d = Chromium.launch();
        String url = baseUrl + "/?autojoin=1&room=" + room + "&name=" + name + (signalUrls == null ? "" : "&signal=" + signalUrls)
                + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
        d.get(url);
        return new DemoPage(d, name);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> report() {
        return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "window.wrcDemo.mediaReport().then(done, e => done({error: String(e)}));");
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> peers() {
        Object p = report().get("peers");
        return p == null ? Map.of() : (Map<String, Map<String, Object>>) p;
    }

    String selfId() {
        return (String) report().get("selfId");
    }

    Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    /** Waits until this page decodes video and audio from every one of {@code expectedPeers} remote participants. */
    void awaitDecodingFrom(int expectedPeers, Duration within) {
        try {
            await(name + " decodes " + expectedPeers + " peers").atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<String, Map<String, Object>> peers = peers();
                return peers.size() == expectedPeers && peers.values().stream().allMatch(p ->
                        number(p.get("videoFramesDecoded")) > 0 && number(p.get("audioBytesReceived")) > 0);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    /** What the page saw: its media report, SDK errors and status line (for failure messages). */
    String diagnostics() {
        try {
            return name + ": report=" + report() + " errors=" + script("return JSON.stringify(window.wrcDemo.errors)")
                    + " status=" + script("return document.getElementById('status').textContent");
        } catch (RuntimeException e) {
            return name + ": no diagnostics (" + e.getMessage() + ")";
        }
    }

    /** Total frames decoded per peer id right now. */
    Map<String, Long> framesByPeer() {
        Map<String, Long> out = new java.util.TreeMap<>();
        peers().forEach((id, p) -> out.put(id, number(p.get("videoFramesDecoded"))));
        return out;
    }

    Map<String, Long> audioBytesByPeer() {
        Map<String, Long> out = new java.util.TreeMap<>();
        peers().forEach((id, p) -> out.put(id, number(p.get("audioBytesReceived"))));
        return out;
    }

    static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
