package org.sagstudy.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;

/**
 * Tests call the API as scripts do: with the header that tells the server a state change is no cross-site form.
 * A Quarkus test callback (META-INF/services), so that it sets the RestAssured the tests see, in the application's
 * class loader.
 */
public class ScriptHeader implements QuarkusTestBeforeEachCallback {

    private static final Filter HEADER = (request, response, next) -> {
        if (!request.getHeaders().hasHeaderWithName("X-Requested-With")) {
            request.header("X-Requested-With", "sag-study-tests");
        }
        return next.next(request, response);
    };

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        // a filter, not a default request specification: that would carry its own port
        RestAssured.replaceFiltersWith(HEADER);
    }
}
