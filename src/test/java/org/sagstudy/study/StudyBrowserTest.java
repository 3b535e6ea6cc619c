package org.sagstudy.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.Chromium;
import org.sagstudy.testing.ExplainedPhotos;
import org.sagstudy.testing.StudyApi;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Participants in a real browser (Debian's Chromium, phone-sized window): four people arrive from Prolific, are
 * assigned the four conditions, read the instructions, practise with feedback, answer every question with the mouse
 * or the keyboard (reloading once on the way) and get the completion code.
 */
@QuarkusTest
class StudyBrowserTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource dataSource;

    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws Exception {
        browser = Chromium.start(412, 915);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        // chromedriver may answer a query made during a navigation with a transient inspector error: poll again
        wait.ignoring(org.openqa.selenium.WebDriverException.class);
    }

    @AfterEach
    void stopBrowser() {
        browser.quit();
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    @Test
    void fourParticipantsCompleteTheStudyOneInEachCondition() throws Exception {
        // a browser driven at machine speed, clicking left and right in turn, would be screened out by the default
        // rules (too fast, failed attention checks): these rules let it earn its completion code
        long study = StudyApi.openStudy("\"gradcam\", \"igos\", \"sag\", \"none\"",
                ", \"exclusions\": {\"maxFailedChecks\": 10, \"minMedianMs\": 0}");
        Set<String> conditions = new HashSet<>();
        Set<String> codes = new HashSet<>();
        for (int participant = 0; participant < 4; participant++) {
            conditions.add(participate(study, "browser-" + participant, participant));
            String code = browser.findElement(By.id("completion-code")).getText();
            assertTrue(code.matches("C0DE42-[0-9A-F]{10}"), code);
            codes.add(code);
        }
        assertEquals(Set.of("gradcam", "igos", "sag", "none"), conditions);
        assertEquals(4, codes.size(), "every session has a code of its own");
    }

    @Test
    void anExperimenterBuildsOpensAndPreviewsAStudy() throws Exception {
        List<Long> photos = ExplainedPhotos.studyPhotos();
        signIn("/admin/studies");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-study")));
        browser.findElement(By.id("new-study-name")).sendKeys("Built in the browser");
        browser.findElement(By.id("create-study")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("design")));
        assertTrue(browser.findElement(By.id("problems")).getText().contains("choose at least one photo"));

        new Select(browser.findElement(By.name("photo-" + photos.get(0)))).selectByValue("trial");
        new Select(browser.findElement(By.name("photo-" + photos.get(1)))).selectByValue("trial");
        new Select(browser.findElement(By.name("photo-" + photos.get(2)))).selectByValue("practice");
        browser.findElement(By.cssSelector("input[name=conditions][value=none]")).click();
        // the paper's settings, and a mix of look-ups and random options only
        browser.findElement(By.id("paper-preset")).click();
        assertTrue(browser.findElement(By.id("paper-preset")).findElement(By.xpath("..")).getText()
                .contains("does not state"), "the preset lists what the paper leaves open");
        for (String kind : List.of("both-in-sag", "one-in-sag", "neither-searched", "neither-random", "parent-child")) {
            WebElement share = browser.findElement(By.name("kind-" + kind));
            share.clear();
            share.sendKeys(kind.equals("both-in-sag") || kind.equals("neither-random") ? "1" : "0");
        }
        WebElement form = browser.findElement(By.id("design"));
        browser.findElement(By.id("save-study")).click();
        wait.until(ExpectedConditions.stalenessOf(form));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("items")));
        // the worker evaluates the random options of the questions; the page says so until it is done
        long deadline = System.currentTimeMillis() + 900_000;
        while (!browser.findElements(By.id("problems")).isEmpty()
                && browser.findElement(By.id("problems")).getText().contains("being evaluated")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            browser.navigate().refresh();
        }
        assertTrue(browser.findElements(By.id("problems")).isEmpty(), "no problems once photos are chosen");
        assertEquals(9, browser.findElements(By.cssSelector("#items tbody tr")).size(),
                "the worked example, 2 practice items, 2 photos x 2 questions, 2 attention checks");
        List<String> trialKinds = browser.findElements(By.cssSelector("#items tbody tr")).stream()
                .filter(row -> row.findElement(By.cssSelector("td:nth-child(2)")).getText().equals("trial"))
                .map(row -> row.findElement(By.cssSelector("td:nth-child(3)")).getText()).sorted().toList();
        assertEquals(List.of("both-in-sag", "both-in-sag", "neither-random", "neither-random"), trialKinds,
                "half look-ups, half random options");
        for (String condition : List.of("gradcam", "igos", "sag", "none")) {
            assertEquals(!condition.equals("none"), browser.findElement(By.cssSelector(
                    "input[name=conditions][value=" + condition + "]")).isSelected(), condition);
        }
        assertEquals("paper", new Select(browser.findElement(By.name("sagStyle"))).getFirstSelectedOption()
                .getAttribute("value"));
        assertEquals("model", new Select(browser.findElement(By.name("rendering"))).getFirstSelectedOption()
                .getAttribute("value"));

        browser.findElement(By.id("open-study")).click();
        wait.until(ExpectedConditions.textToBe(By.id("study-state"), "open"));
        assertTrue(browser.findElement(By.cssSelector("#design fieldset")).getAttribute("disabled") != null,
                "an open study's design is frozen");
        long study = Long.parseLong(browser.findElement(By.id("study")).getAttribute("data-study"));
        browser.findElement(By.id("preview-sag")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("instructions")));
        assertTrue(browser.findElement(By.id("guidance")).getText().contains("graph"));

        ExplainedPhotos.admin().contentType(io.restassured.http.ContentType.JSON).body("{\"participants\": 6}")
                .post("/api/studies/" + study + "/results/simulate").then().statusCode(200);
        browser.get(url("/admin/studies/" + study + "/results?population=simulated"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("by-kind")));
        WebElement lookUps = browser.findElement(By.cssSelector("#by-kind tr[data-kind=both-in-sag]"));
        assertTrue(lookUps.getAttribute("class").contains("lookup"), "look-ups are marked");
        assertTrue(lookUps.getText().contains("look-up"), lookUps.getText());
        assertTrue(browser.findElement(By.cssSelector("#by-kind tr[data-kind=neither-random]")).getText()
                .contains("inference"));
        assertTrue(browser.findElement(By.cssSelector("#by-kind tr[data-kind=both-in-sag]")).getText()
                .matches("(?s).*\\d\\.\\d\\d \\[\\d\\.\\d\\d, \\d\\.\\d\\d\\].*"),
                "accuracy per condition with its interval on look-ups: " + lookUps.getText());
        Chromium.screenshot(browser, "study-analysis-by-kind");
    }

    @Test
    void theAnalysisPageShowsTablesAndCharts() throws Exception {
        long study = StudyApi.openStudy("\"gradcam\", \"sag\"");
        ExplainedPhotos.admin().contentType(io.restassured.http.ContentType.JSON).body("{\"participants\": 4}")
                .post("/api/studies/" + study + "/results/simulate").then().statusCode(200);
        signIn("/admin/studies/" + study + "/results");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rules")));
        assertEquals("0", browser.findElement(By.cssSelector("#conditions tr[data-condition=sag] td:nth-child(2)"))
                .getText(), "simulated sessions are not shown by default");
        new Select(browser.findElement(By.name("population"))).selectByValue("simulated");
        browser.findElement(By.id("apply-rules")).click();
        wait.until(ExpectedConditions.urlContains("population=simulated"));
        assertEquals("2", browser.findElement(By.cssSelector("#conditions tr[data-condition=sag] td:nth-child(2)"))
                .getText());
        assertTrue(browser.findElement(By.id("comparisons")).getText().contains("SAG vs gradcam"));
        wait.until(driver -> "drawn".equals(driver.findElement(By.id("analysis")).getAttribute("data-charts")));
        assertTrue(browser.findElements(By.cssSelector("#accuracy-chart canvas")).size() > 0, "ECharts drew");
        assertTrue(browser.findElements(By.cssSelector("#time-chart canvas")).size() > 0);
        String export = browser.findElement(By.linkText("answers.csv")).getAttribute("href");
        assertTrue(export.contains("population=simulated"), "exports follow the page's rules: " + export);
        Chromium.screenshot(browser, "study-analysis");
    }

    private void signIn(String path) {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        browser.get(url(path));
        wait.until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("test-secret");
        browser.findElement(By.id("sign-in")).click();
    }

    /** Takes part from the landing page to the completion code; returns the condition the server assigned. */
    private String participate(long study, String prolificId, int number) throws Exception {
        browser.manage().deleteAllCookies();
        browser.get(url("/studies/" + study + "?PROLIFIC_PID=" + prolificId + "&STUDY_ID=st&SESSION_ID=se-" + number));
        assertTrue(browser.findElement(By.id("consent")).getText().contains("By continuing you agree"));
        browser.findElement(By.id("agree")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("instructions")));
        String token = browser.getCurrentUrl().replaceAll(".*/p/", "");
        String condition = condition(token);
        assertTrue(browser.findElement(By.id("example")).getText().contains("Answer:"));
        assertLoaded(By.cssSelector("#example img"));
        browser.findElement(By.id("comprehension-" + ComprehensionCheck.answer(Condition.byKey(condition)
                .orElseThrow()))).click();
        browser.findElement(By.id("begin")).click();

        int answered = 0;
        int feedbackPages = 0;
        boolean reloaded = false;
        while (true) {
            wait.until(ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(By.id("trial")),
                    ExpectedConditions.presenceOfElementLocated(By.id("feedback")),
                    ExpectedConditions.presenceOfElementLocated(By.id("done"))));
            if (!browser.findElements(By.id("done")).isEmpty()) {
                break;
            }
            if (!browser.findElements(By.id("feedback")).isEmpty()) {
                assertTrue(browser.findElement(By.id("feedback")).getText().contains("% confident"));
                feedbackPages++;
                WebElement page = browser.findElement(By.tagName("main"));
                browser.findElement(By.id("continue")).click();
                wait.until(ExpectedConditions.stalenessOf(page));
                continue;
            }
            String progress = browser.findElement(By.id("progress-text")).getText();
            String explanation = browser.findElement(By.id("explanation")).getAttribute("src");
            String expected = switch (condition) {
                case "sag" -> "/explanation.svg";
                case "gradcam", "igos" -> "/explanation.png";
                default -> "/photo.png";
            };
            assertTrue(explanation.endsWith(expected), condition + " shows " + explanation);
            assertLoaded(By.id("explanation"));
            assertLoaded(By.cssSelector("#choose-left img"));
            assertLoaded(By.cssSelector("#choose-right img"));
            assertTrue((Boolean) browser.executeScript(
                    "return document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling");
            if (answered == 3 && !reloaded) {
                browser.navigate().refresh();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("progress-text")));
                assertEquals(progress, browser.findElement(By.id("progress-text")).getText(), "reload resumes");
                reloaded = true;
                if (number == 2) {
                    Chromium.screenshot(browser, "study-trial-" + condition);
                }
            }
            WebElement page = browser.findElement(By.tagName("main"));
            if (answered % 2 == 0) {
                browser.findElement(By.id("choose-left")).click();
            } else {
                browser.findElement(By.tagName("body")).sendKeys(Keys.ARROW_RIGHT);
            }
            wait.until(ExpectedConditions.stalenessOf(page));
            answered++;
        }
        assertTrue(reloaded);
        assertTrue(feedbackPages >= 1, "the practice question was followed by its feedback");
        assertEquals(answered, answers(token), "every click is one stored answer");
        return condition;
    }

    private void assertLoaded(By picture) {
        wait.until(driver -> (Boolean) ((ChromeDriver) driver).executeScript(
                "const i = arguments[0]; return i.complete && i.naturalWidth > 0", driver.findElement(picture)));
    }

    private String condition(String token) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT condition FROM participant_session WHERE token = ? AND external_id LIKE 'browser-%'")) {
            query.setString(1, token);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "the session records the Prolific id");
                return row.getString(1);
            }
        }
    }

    private int answers(String token) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT count(*) FROM answer a JOIN participant_session s ON s.id = a.session_id WHERE s.token = ?")) {
            query.setString(1, token);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
