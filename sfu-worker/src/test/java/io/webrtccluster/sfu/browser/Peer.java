package io.webrtccluster.sfu.browser;

import java.util.Map;

import io.webrtccluster.testing.Chromium;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/** One headless Chromium on the test page, joined to a room on the worker. */
final class Peer implements AutoCloseable {
    final String id;
    final ChromeDriver driver;
    private final String window;
    private final boolean ownsDriver;

    Peer(String id, String pageUrl) {
        this(id, pageUrl, Chromium.launch());
    }

    Peer(String id, String pageUrl, ChromeDriver driver) {
        this(id, pageUrl, driver, true);
    }

    private Peer(String id, String pageUrl, ChromeDriver driver, boolean ownsDriver) {
        this.id = id;
        this.driver = driver;
        this.ownsDriver = ownsDriver;
        driver.get(pageUrl);
        this.window = driver.getWindowHandle();
    }

    /** Another participant in a new tab of {@code host}'s browser (one Chromium fewer on a 2-core machine). */
    static Peer inNewTab(String id, String pageUrl, Peer host) {
        host.driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        return new Peer(id, pageUrl, host.driver, false);
    }

    Peer join(String room, Map<String, Object> opts) {
        script("return await window.sfu.join(arguments[0], arguments[1], arguments[2]);", room, id, opts);
        return this;
    }

    /** publisherId -> kind -> inbound-rtp numbers. */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Map<String, Number>>> report() {
        return (Map<String, Map<String, Map<String, Number>>>) script("return await window.sfu.report();");
    }

    long frames(String publisher) {
        return stat(publisher, "video", "framesDecoded");
    }

    long audioBytes(String publisher) {
        return stat(publisher, "audio", "bytesReceived");
    }

    long stat(String publisher, String kind, String name) {
        Map<String, Map<String, Number>> p = report().get(publisher);
        if (p == null || p.get(kind) == null) {
            return 0;
        }
        return p.get(kind).get(name).longValue();
    }

    double firstFrameMs(String publisher) {
        return ((Number) script("return window.sfu.firstFrameMs(arguments[0]);", publisher)).doubleValue();
    }

    Object script(String js, Object... args) {
        if (!window.equals(driver.getWindowHandle())) {
            driver.switchTo().window(window);
        }
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    Object log() {
        return script("return window.sfu.log;");
    }

    @Override
    public void close() {
        try {
            script("await window.sfu.leave();");
        } catch (RuntimeException e) {
            // the browser may already be gone
        }
        if (ownsDriver) {
            driver.quit();
        } else {
            driver.switchTo().window(window);
            driver.close();
        }
    }
}
