package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.Map;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import io.webrtccluster.testing.Chromium;

import static org.awaitility.Awaitility.await;

/** One headless Chromium on the demo page, joined to a room; reads what it decodes through getStats. */
public final class DemoPage implements AutoCloseable {
    private final ChromeDriver driver;
    final String name;

    private DemoPage(ChromeDriver driver, String name) {
        this.driver = driver;
        this.name = name;
    }

    /** @param signalUrls comma-separated WebSocket URLs for the SDK to try in turn, or null for the page's origin */
    public static DemoPage join(String baseUrl, String room, String name, String signalUrls) {
        return join(baseUrl, room, name, signalUrls, "");
    }

    /** @param extraQuery more demo parameters, e.g. {@code relay=1} or {@code simulcast=1} */
    public static DemoPage join(String baseUrl, String room, String name, String signalUrls, String extraQuery) {
        return open(baseUrl, room, name, signalUrls, "autojoin=1" + (extraQuery.isEmpty() ? "" : "&" + extraQuery));
    }

    /** The demo page filled in but not joined: press {@link #clickJoin()} (after any {@link #script} set-up). */
    public static DemoPage open(String baseUrl, String room, String name, String signalUrls, String extraQuery) {
        ChromeDriver d = Chromium.launch();
        String url = baseUrl + "/?room=" + room + "&name=" + name + (signalUrls == null ? "" : "&signal=" + signalUrls)
                + (extraQuery.isEmpty() ? "" : "&" + extraQuery);
        d.get(url);
        return new DemoPage(d, name);
    }

    /** Console messages at SEVERE (errors, failed loads, invalid markup) logged by the page so far. */
    public java.util.List<String> consoleErrors() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(e -> e.getMessage()).toList();
    }

    public void clickJoin() {
        script("document.getElementById('join').click()");
    }

    public void clickLeave() {
        script("document.getElementById('leave').click()");
    }

    public String status() {
        return (String) script("return document.getElementById('status').textContent");
    }

    /** Whether the camera and microphone this page joined with are released (every local track ended). */
    public boolean localTracksEnded() {
        return Boolean.TRUE.equals(script("const l = window.wrcDemo.local;"
                + " return !!l && l.getTracks().length > 0 && l.getTracks().every(t => t.readyState === 'ended')"));
    }

    /** Remote tiles on the page. */
    public long remoteTiles() {
        return ((Number) script("return document.querySelectorAll('.tile.remote').length")).longValue();
    }

    /** The page's clock, for {@link #frameGaps(double)} windows. */
    public double now() {
        return ((Number) script("return window.wrcDemo.now()")).doubleValue();
    }

    /** Per remote: the longest time in ms between two frames shown to the user since {@code sinceMs}. */
    @SuppressWarnings("unchecked")
    public Map<String, Long> frameGaps(double sinceMs) {
        Map<String, Object> raw = (Map<String, Object>) script("return window.wrcDemo.frameGaps(arguments[0])", sinceMs);
        Map<String, Long> out = new java.util.TreeMap<>();
        raw.forEach((k, v) -> out.put(k, number(v)));
        return out;
    }

    public Long firstFrameMs(String peerId) {
        Object r = script("return window.wrcDemo.firstFrameMs(arguments[0])", peerId);
        return r == null ? null : number(r);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> report() {
        return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "window.wrcDemo.mediaReport().then(done, e => done({error: String(e)}));");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> peers() {
        Object p = report().get("peers");
        return p == null ? Map.of() : (Map<String, Map<String, Object>>) p;
    }

    public String selfId() {
        return (String) report().get("selfId");
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Waits until this page decodes video and audio from every one of {@code expectedPeers} remote participants. */
    public void awaitDecodingFrom(int expectedPeers, Duration within) {
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
    public String diagnostics() {
        try {
            return name + ": report=" + report() + " errors=" + script("return JSON.stringify(window.wrcDemo.errors)")
                    + " status=" + script("return document.getElementById('status').textContent");
        } catch (RuntimeException e) {
            return name + ": no diagnostics (" + e.getMessage() + ")";
        }
    }

    /** Total frames decoded per peer id right now. */
    public Map<String, Long> framesByPeer() {
        Map<String, Long> out = new java.util.TreeMap<>();
        peers().forEach((id, p) -> out.put(id, number(p.get("videoFramesDecoded"))));
        return out;
    }

    public Map<String, Long> audioBytesByPeer() {
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
