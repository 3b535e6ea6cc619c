package org.sagstudy.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sagstudy.testing.ExplainedPhotos.admin;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sagstudy.testing.FormPages;

/** Instance admins and researchers: who sees which study, who exports raw ids, who manages accounts. */
@QuarkusTest
class StudyRolesTest {

    private static final String PASSWORD = "a-long-password-1";

    private static String account(String role) {
        String name = role + "-" + System.nanoTime();
        admin().contentType(ContentType.JSON).body(Map.of("username", name, "password", PASSWORD, "role", role))
                .post("/api/accounts").then().statusCode(201);
        return name;
    }

    private static RequestSpecification as(String name) {
        return given().auth().preemptive().basic(name, PASSWORD);
    }

    private static List<Long> listed(String name) {
        return as(name).get("/api/studies").then().statusCode(200).extract().jsonPath().getList("id", Long.class);
    }

    @Test
    void researchersWorkOnTheirOwnStudiesAndOnlyTheOwnerExportsRawIds() {
        String ada = account("researcher");
        String bob = account("researcher");
        as(ada).get("/api/accounts").then().statusCode(403);
        long study = as(ada).contentType(ContentType.JSON).body("{\"name\": \"Ada's\", \"design\": {}}")
                .post("/api/studies").then().statusCode(201).extract().jsonPath().getLong("id");
        String raw = "/api/studies/" + study + "/results/export/participants.csv?raw=true";
        String plain = "/api/studies/" + study + "/results/export/participants.csv";

        as(bob).get("/api/studies/" + study).then().statusCode(404);
        as(bob).get(plain).then().statusCode(404);
        assertFalse(listed(bob).contains(study), "another researcher's study is not listed");
        assertTrue(listed(ada).contains(study));
        assertTrue(admin().get("/api/studies").then().extract().jsonPath().getList("id", Long.class)
                .contains(study), "an instance admin sees every study");

        as(bob).contentType(ContentType.JSON).body(Map.of("username", bob))
                .post("/api/studies/" + study + "/members").then().statusCode(404);
        as(ada).contentType(ContentType.JSON).body(Map.of("username", bob))
                .post("/api/studies/" + study + "/members").then().statusCode(200)
                .body(containsString("collaborator"));
        as(bob).get("/api/studies/" + study).then().statusCode(200);
        String bobs = FormPages.signIn(bob, PASSWORD, null).getCookie("sag-session");
        given().cookie("sag-session", bobs).get("/admin/studies/" + study).then().statusCode(200)
                .body(containsString("<li>" + ada + " (owner)</li>"))
                .body(containsString("<li>" + bob + " (collaborator)</li>"));
        as(bob).get(plain).then().statusCode(200);
        as(bob).get(raw).then().statusCode(403).body("error", containsString("owner"));
        as(bob).post("/api/studies/" + study + "/open").then().statusCode(403);
        as(bob).delete("/api/studies/" + study).then().statusCode(403);
        as(ada).get("/api/studies/" + study).then().statusCode(200);
        as(bob).contentType(ContentType.JSON).body(Map.of("username", "admin"))
                .post("/api/studies/" + study + "/members").then().statusCode(403);
        admin().get(raw).then().statusCode(403);
        as(ada).get(raw).then().statusCode(200);

        admin().delete("/api/accounts/" + ada).then().statusCode(204);
        as(ada).get("/api/studies").then().statusCode(401);
        admin().delete("/api/accounts/admin").then().statusCode(400);
    }

    @Test
    void theAccountsPageIsForInstanceAdmins() {
        String carol = account("researcher");
        String admins = FormPages.signIn("admin", "test-secret", null).getCookie("sag-session");
        given().cookie("sag-session", admins).get("/admin/accounts").then().statusCode(200)
                .body(containsString(carol)).body(not(containsString("password_hash")));
        String researchers = FormPages.signIn(carol, PASSWORD, null).getCookie("sag-session");
        given().cookie("sag-session", researchers).redirects().follow(false).get("/admin/accounts").then()
                .statusCode(403);
        assertEquals(200, given().cookie("sag-session", researchers).get("/admin/studies").statusCode());
    }

    /** Two admins creating the same account at once: one gets it, the other a 409, nobody a 500. */
    @Test
    void theSameAccountCreatedAtOnceIsCreatedOnce() throws Exception {
        String name = "twin-" + System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(pool.submit(() -> admin().contentType(ContentType.JSON)
                        .body(Map.of("username", name, "password", PASSWORD, "role", "researcher"))
                        .post("/api/accounts").statusCode()));
            }
            List<Integer> seen = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                seen.add(status.get());
            }
            assertEquals(1, seen.stream().filter(s -> s == 201).count(), "created once: " + seen);
            assertTrue(seen.stream().allMatch(s -> s == 201 || s == 409), "the others are told why: " + seen);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, admin().get("/api/accounts").then().statusCode(200).extract().jsonPath()
                .getList("username", String.class).stream().filter(name::equals).count());
    }
}
