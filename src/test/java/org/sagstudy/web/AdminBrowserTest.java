package org.sagstudy.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sagstudy.testing.Chromium;
import org.sagstudy.testing.SharedData;

/** The admin's path in a real browser (Debian's Chromium): sign in, upload, watch the job, explore the SAG. */
@QuarkusTest
class AdminBrowserTest {

    @TestHTTPResource("/")
    URL base;

    private ChromeDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        browser = Chromium.start(1280, 1000);
    }

    @AfterEach
    void stopBrowser() {
        browser.quit();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    @Test
    void strangersAreSentToTheLoginPage() {
        given().redirects().follow(false).get("/admin").then().statusCode(302)
                .header("Location", endsWith("/login"));
    }

    @Test
    void signInUploadWatchTheJobAndExploreTheSag() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(url("/admin"));
        wait.until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("test-secret");
        browser.findElement(By.id("sign-in")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("upload-form")));

        Path photo = SharedData.image("imagenet-dev/n01980166_fiddler_crab.JPEG");
        browser.findElement(By.id("upload-files")).sendKeys(photo.toString());
        browser.findElement(By.id("upload")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("upload-result"), "Queued 1 image"));

        String name = photo.getFileName().toString();
        new WebDriverWait(browser, Duration.ofSeconds(240)).until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//tr[td/a[text()='" + name + "']]/td[contains(@class, 'state-done')]")));

        browser.get(url("/admin/jobs"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("throughput"), "images in the last hour"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#jobs tr[data-state='done']")));

        browser.get(url("/admin"));
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText(name))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#sag .node")));
        assertTrue(browser.findElement(By.id("predicted")).getText().contains("fiddler crab"));
        List<WebElement> nodes = browser.findElements(By.cssSelector("#sag .node"));
        nodes.get(nodes.size() - 1).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("selected")));
        assertTrue(browser.findElement(By.id("selected-caption")).getText().contains("% of p_full"));
        wait.until(driver -> (Boolean) ((ChromeDriver) driver).executeScript(
                "return document.getElementById('selected-image').naturalWidth === 224"));

        Chromium.screenshot(browser, "admin-viewer");
    }
}
