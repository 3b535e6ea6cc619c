package org.sagstudy.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Posts the public forms (sign-in, a study's landing page) as a browser does: the page first, then its token. */
public final class FormPages {

    private static final Pattern TOKEN = Pattern.compile("name=\"form_token\" value=\"([0-9a-f]+)\"");

    private FormPages() {
    }

    /** A request that carries the form cookie and token of the page at {@code path} (fetched with {@code page}). */
    public static RequestSpecification withFormToken(String path, RequestSpecification page) {
        Response response = page.get(path);
        response.then().statusCode(200);
        Matcher token = TOKEN.matcher(response.asString());
        assertTrue(token.find(), "the page has a form token");
        RequestSpecification post = given().redirects().follow(false).formParam("form_token", token.group(1));
        response.getCookies().forEach(post::cookie);
        return post;
    }

    /** The sign-in form posted with these credentials (through an HTTPS proxy when {@code forwardedProto}). */
    public static Response signIn(String username, String password, String forwardedProto) {
        RequestSpecification page = given();
        if (forwardedProto != null) {
            page = page.header("X-Forwarded-Proto", forwardedProto);
        }
        RequestSpecification post = withFormToken("/login", page).formParam("username", username)
                .formParam("password", password);
        if (forwardedProto != null) {
            post = post.header("X-Forwarded-Proto", forwardedProto);
        }
        return post.post("/login");
    }
}
