package org.sagstudy.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.FormPages;

/** Signing in through the form and the CSRF header on the admin pages' state-changing requests. */
@QuarkusTest
class AdminSessionTest {

    private static String signIn(String password) {
        return FormPages.signIn("admin", password, null).getCookie("sag-session");
    }

    @Inject
    AdminSessions sessions;

    @Inject
    DataSource dataSource;

    @Test
    void sessionsThatEndedADayAgoAreDeletedAndLiveOnesStay() throws Exception {
        String live = signIn("test-secret");
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            statement.executeUpdate("""
                    INSERT INTO admin_session (token_hash, username, csrf_token, created_at, last_seen_at, expires_at,
                        revoked_at)
                    VALUES ('ended-long-ago', 'admin', 'x', now() - interval '3 days', now() - interval '3 days',
                            now() + interval '1 day', now() - interval '2 days'),
                           ('ended-just-now', 'admin', 'x', now(), now(), now() + interval '1 day', now())""");
            sessions.purgeEnded();
            try (ResultSet rows = statement.executeQuery("SELECT token_hash FROM admin_session WHERE token_hash "
                    + "LIKE 'ended-%'")) {
                org.junit.jupiter.api.Assertions.assertTrue(rows.next());
                org.junit.jupiter.api.Assertions.assertEquals("ended-just-now", rows.getString(1),
                        "a day of history stays");
                org.junit.jupiter.api.Assertions.assertFalse(rows.next());
            }
        }
        given().cookie("sag-session", live).get("/admin").then().statusCode(200);
    }

    @Test
    void wrongPasswordGivesNoSession() {
        FormPages.withFormToken("/login", given()).formParam("username", "admin").formParam("password", "nope")
                .header("X-Forwarded-For", "192.0.2.44").post("/login").then().statusCode(303)
                .header("Location", containsString("/login?error")).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void stateChangesNeedTheTokenOfThePage() {
        String session = signIn("test-secret");
        String page = given().cookie("sag-session", session).get("/admin").then().statusCode(200).extract().asString();
        Matcher token = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
        org.junit.jupiter.api.Assertions.assertTrue(token.find(), "the page carries its token");

        given().cookie("sag-session", session).delete("/admin/images/123456").then().statusCode(403)
                .body("error", containsString("X-CSRF-Token"));
        given().cookie("sag-session", session).header("X-CSRF-Token", "0".repeat(64))
                .delete("/admin/images/123456").then().statusCode(403);
        given().cookie("sag-session", session).header("X-CSRF-Token", token.group(1))
                .delete("/admin/images/123456").then().statusCode(404);
        given().cookie("sag-session", session).header("X-CSRF-Token", token.group(1))
                .post("/admin/jobs/123456/retry").then().statusCode(409);
        given().cookie("sag-session", session).get("/admin/images/123456/patches.jpg?set=1,99").then()
                .statusCode(400);
        given().cookie("sag-session", session).get("/admin/images/123456/patches.jpg?set=x").then()
                .statusCode(400);
    }
}
