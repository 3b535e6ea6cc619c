package org.sagstudy.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Signing in through the form and the CSRF header on the admin pages' state-changing requests. */
@QuarkusTest
class AdminSessionTest {

    private static String signIn(String password) {
        Response response = given().redirects().follow(false).formParam("username", "admin")
                .formParam("password", password).post("/login");
        return response.getCookie("sag-session");
    }

    @Test
    void wrongPasswordGivesNoSession() {
        given().redirects().follow(false).formParam("username", "admin").formParam("password", "nope")
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
