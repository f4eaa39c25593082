package io.webrtccluster.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium with a fake camera and microphone, driven through chromedriver. Each
 * instance gets its own empty profile. Costs ~0.25 core: keep at most ~4 open at once.
 */
public final class Chromium {
    /** Flags checked on these machines (see FIELD-NOTES): WebRTC works headless on loopback with them. */
    public static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
            "--window-size=800,600");

    private Chromium() {
    }

    public static ChromeDriver launch() {
        return launch(Path.of("/usr/bin/chromium"), List.of());
    }

    /**
     * @param binary     the browser to run; a wrapper script (e.g. one that does {@code ip netns exec NS chromium "$@"}) works too
     * @param extraFlags flags on top of {@link #FLAGS}
     */
    public static ChromeDriver launch(Path binary, List<String> extraFlags) {
        try {
            Path profile = Files.createTempDirectory("wrc-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(binary.toFile());
            List<String> args = new ArrayList<>(FLAGS);
            args.addAll(extraFlags);
            args.add("--user-data-dir=" + profile);
            options.addArguments(args);
            options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL")); // tests can read the console
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
