package org.sagstudy.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium, headless, through Debian's chromedriver (no driver download). */
public final class Chromium {

    private Chromium() {
    }

    /** Saves what the browser shows as target/screenshots/NAME.png (for people reviewing a build). */
    public static void screenshot(ChromeDriver browser, String name) throws IOException {
        java.nio.file.Path file = java.nio.file.Path.of("target/screenshots/" + name + ".png");
        Files.createDirectories(file.getParent());
        Files.copy(browser.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(), file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** A fresh browser with its own profile and a window of {@code width} x {@code height}. */
    public static ChromeDriver start(int width, int height) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=" + width + "," + height,
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        return new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
    }
}
